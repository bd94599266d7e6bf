/*
 * libyaml_floor: the floor for imagelint's YAML work.
 *
 * Reads a list of YAML file paths (one per line) from the file named by the first argument, or
 * standard input when it is "-", and event-parses every file with libyaml on one thread: read the
 * whole file, feed it with yaml_parser_set_input_string, pull events until STREAM-END or an error,
 * delete each event. Nothing is built. Prints one line:
 *
 *     files=N bytes=B events=E errors=K
 *
 * Build: cc -O2 -o libyaml_floor libyaml_floor.c -lyaml
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static unsigned char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) { fclose(f); return NULL; }
    for (;;) {
        if (len == cap) {
            unsigned char *grown = realloc(buf, cap * 2);
            if (!grown) { free(buf); fclose(f); return NULL; }
            buf = grown;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    fclose(f);
    *size = len;
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: libyaml_floor LIST|-   (LIST: one YAML path per line)\n");
        return 64;
    }
    FILE *list = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
    if (!list) { perror(argv[1]); return 2; }

    char path[4096];
    unsigned long files = 0, errors = 0;
    unsigned long long bytes = 0, events = 0;
    while (fgets(path, sizeof path, list)) {
        size_t n = strlen(path);
        while (n > 0 && (path[n - 1] == '\n' || path[n - 1] == '\r')) path[--n] = '\0';
        if (n == 0) continue;
        size_t size = 0;
        unsigned char *buf = read_file(path, &size);
        if (!buf) { perror(path); errors++; continue; }
        files++;
        bytes += size;

        yaml_parser_t parser;
        yaml_event_t event;
        if (!yaml_parser_initialize(&parser)) { free(buf); errors++; continue; }
        yaml_parser_set_input_string(&parser, buf, size);
        for (;;) {
            if (!yaml_parser_parse(&parser, &event)) { errors++; break; }
            events++;
            int done = event.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&event);
            if (done) break;
        }
        yaml_parser_delete(&parser);
        free(buf);
    }
    if (list != stdin) fclose(list);
    printf("files=%lu bytes=%llu events=%llu errors=%lu\n", files, bytes, events, errors);
    return errors ? 1 : 0;
}
