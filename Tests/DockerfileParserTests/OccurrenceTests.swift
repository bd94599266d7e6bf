import DockerfileParser
import ImagelintCore
import Testing

/// One Dockerfile and the occurrences it must yield, in order.
struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var buildArgs: [String: String] = [:]
    var expected: [Expected]
    var testDescription: String { name }
}

let instructionCases: [Case] = [
    Case(name: "plain FROM", text: "FROM nginx:1.25\n", expected: [Expected(1, 6, "nginx:1.25", "nginx:1.25", .from)]),
    Case(
        name: "lower-case FROM with platform and alias",
        text: "from --platform=linux/amd64 alpine:3.19 as build\n",
        expected: [Expected(1, 29, "alpine:3.19", "alpine:3.19", .from)]),
    Case(name: "mixed-case keyword", text: "fRoM alpine\n", expected: [Expected(1, 6, "alpine", "alpine", .from)]),
    Case(name: "extra blanks", text: "   FROM \t  alpine:3   \n", expected: [Expected(1, 12, "alpine:3", "alpine:3", .from)]),
    Case(name: "scratch is not an image", text: "FROM scratch\nFROM SCRATCH AS x\n", expected: []),
    Case(
        name: "stage names are case-insensitive; COPY --from image vs stage",
        text: """
            FROM golang:1.22 AS Builder
            FROM builder
            COPY --from=builder /a /b
            COPY --from=BUILDER /a /b
            COPY --from=nginx:1.25 /etc/nginx /etc/nginx
            ADD --from=0 /x /y
            ADD --chown=1:1 --from=ghcr.io/o/tool:2 /t /t

            """,
        expected: [
            Expected(1, 6, "golang:1.22", "golang:1.22", .from),
            Expected(5, 13, "nginx:1.25", "nginx:1.25", .copy),
            Expected(7, 24, "ghcr.io/o/tool:2", "ghcr.io/o/tool:2", .copy),
        ]),
    Case(
        name: "--chown and --chmod are not sources",
        text: "FROM a\nCOPY --chown=nginx:nginx --chmod=755 x y\n",
        expected: [Expected(1, 6, "a", "a", .from)]),
    Case(
        name: "a stage named later is still a stage for COPY --from, not for FROM",
        text: "FROM a AS one\nFROM two\nCOPY --from=later / /\nFROM b AS later\nFROM y AS two\n",
        expected: [
            Expected(1, 6, "a", "a", .from), Expected(2, 6, "two", "two", .from), Expected(4, 6, "b", "b", .from),
            Expected(5, 6, "y", "y", .from),
        ]),
    Case(
        name: "RUN --mount from image, stage, and non-bind types",
        text: """
            FROM golang:1.22 AS build
            RUN --mount=type=bind,from=alpine:3.19,source=/a,target=/b true
            RUN --mount=type=cache,from=build,target=/root/.cache true
            RUN --mount=from=busybox:1.36,target=/bb --mount=type=cache,target=/c,from=ghcr.io/x/cache:1 true
            RUN --mount=type=secret,id=npm,from=ignored:1 true
            RUN --network=none --mount="type=bind,from=quoted:1,target=/q" true

            """,
        expected: [
            Expected(1, 6, "golang:1.22", "golang:1.22", .from),
            Expected(2, 28, "alpine:3.19", "alpine:3.19", .mount),
            Expected(4, 18, "busybox:1.36", "busybox:1.36", .mount),
            Expected(4, 76, "ghcr.io/x/cache:1", "ghcr.io/x/cache:1", .mount),
            Expected(6, 44, "quoted:1", "quoted:1", .mount),
        ]),
    Case(
        name: "syntax directive",
        text: "# syntax=docker/dockerfile:1.7\nFROM alpine\n",
        expected: [
            Expected(1, 10, "docker/dockerfile:1.7", "docker/dockerfile:1.7", .syntax),
            Expected(2, 6, "alpine", "alpine", .from),
        ]),
    Case(
        name: "syntax directive with blanks and other directives",
        text: "# escape=\\\n#Syntax = docker/dockerfile:1  \n# check=skip=all\nFROM alpine\n",
        expected: [
            Expected(2, 11, "docker/dockerfile:1", "docker/dockerfile:1", .syntax),
            Expected(4, 6, "alpine", "alpine", .from),
        ]),
    Case(
        name: "syntax after a comment is a comment",
        text: "# hello\n# syntax=docker/dockerfile:1\nFROM a\n",
        expected: [Expected(3, 6, "a", "a", .from)]),
    Case(
        name: "syntax after an empty line is a comment",
        text: "\n# syntax=docker/dockerfile:1\nFROM a\n",
        expected: [Expected(3, 6, "a", "a", .from)]),
    Case(
        name: "ONBUILD forms",
        text: "FROM a\nONBUILD COPY --from=nginx:1 /a /b\nonbuild RUN --mount=from=alpine:3,target=/x true\n",
        expected: [
            Expected(1, 6, "a", "a", .from), Expected(2, 21, "nginx:1", "nginx:1", .copy),
            Expected(3, 26, "alpine:3", "alpine:3", .mount),
        ]),
    Case(
        name: "exec form COPY",
        text: "FROM a\nCOPY --from=img:1 [\"/a\", \"/b\"]\n",
        expected: [Expected(1, 6, "a", "a", .from), Expected(2, 13, "img:1", "img:1", .copy)]),
]

let lexingCases: [Case] = [
    Case(
        name: "heredoc body is not parsed",
        text: "FROM alpine\nRUN <<EOF\nFROM evil:latest\nCOPY --from=evil:2 / /\nEOF\nFROM b\n",
        expected: [Expected(1, 6, "alpine", "alpine", .from), Expected(6, 6, "b", "b", .from)]),
    Case(
        name: "heredoc with dash, quoted delimiter, tab-indented terminator",
        text: "FROM a\nRUN <<-\"END\" bash\n\tFROM evil:1\n\tEND\nFROM b\n",
        expected: [Expected(1, 6, "a", "a", .from), Expected(5, 6, "b", "b", .from)]),
    Case(
        name: "two heredocs on one line",
        text: "FROM a\nCOPY <<one <<'two' /dest/\nFROM evil1\none\nFROM evil2\ntwo\nFROM b\n",
        expected: [Expected(1, 6, "a", "a", .from), Expected(7, 6, "b", "b", .from)]),
    Case(
        name: "heredoc with file descriptor and redirect",
        text: "FROM a\nRUN cat 0<<EOF > /x\nFROM evil\nEOF\nFROM b\n",
        expected: [Expected(1, 6, "a", "a", .from), Expected(5, 6, "b", "b", .from)]),
    Case(
        name: "quoted << is not a heredoc",
        text: "FROM a\nRUN echo \"<<EOF\"\nFROM b\n",
        expected: [Expected(1, 6, "a", "a", .from), Expected(3, 6, "b", "b", .from)]),
    Case(
        name: "exec form has no heredoc",
        text: "FROM a\nRUN [\"sh\", \"-c\", \"<<EOF\"]\nFROM b\n",
        expected: [Expected(1, 6, "a", "a", .from), Expected(3, 6, "b", "b", .from)]),
    Case(
        name: "continuation puts the image on the next line",
        text: "FROM \\\n  alpine:3 \\\n  AS x\n",
        expected: [Expected(2, 3, "alpine:3", "alpine:3", .from)]),
    Case(
        name: "comment and empty lines inside a continuation",
        text: "FROM a\nRUN echo \\\n# FROM evil\n\n    b\nFROM c\n",
        expected: [Expected(1, 6, "a", "a", .from), Expected(6, 6, "c", "c", .from)]),
    Case(
        name: "continuation with trailing blanks",
        text: "FROM a\nCOPY \\  \n  --from=img:2 \\\t\n  /a /b\n",
        expected: [Expected(1, 6, "a", "a", .from), Expected(3, 10, "img:2", "img:2", .copy)]),
    Case(
        name: "backtick escape (Windows)",
        text: """
            # escape=`
            FROM mcr.microsoft.com/windows/servercore:ltsc2022 `
              AS base
            RUN powershell -Command `
                $ErrorActionPreference = 'Stop'; `
                Write-Host C:\\path\\
            FROM base
            COPY --from=base C:\\app C:\\app
            FROM mcr.microsoft.com/powershell:nanoserver

            """,
        expected: [
            Expected(
                2, 6, "mcr.microsoft.com/windows/servercore:ltsc2022", "mcr.microsoft.com/windows/servercore:ltsc2022",
                .from),
            Expected(9, 6, "mcr.microsoft.com/powershell:nanoserver", "mcr.microsoft.com/powershell:nanoserver", .from),
        ]),
    Case(
        name: "backslash is no continuation under escape=`",
        text: "# escape=`\nFROM a\nRUN dir c:\\\nFROM b\n",
        expected: [Expected(2, 6, "a", "a", .from), Expected(4, 6, "b", "b", .from)]),
    Case(
        name: "CRLF line endings",
        text: "FROM a:1\r\nRUN echo \\\r\n  hi\r\nFROM b:2 AS x\r\nCOPY --from=c:3 / /\r\n",
        expected: [
            Expected(1, 6, "a:1", "a:1", .from), Expected(4, 6, "b:2", "b:2", .from),
            Expected(5, 13, "c:3", "c:3", .copy),
        ]),
    Case(
        name: "UTF-8 BOM",
        text: "\u{FEFF}FROM alpine:3\n",
        expected: [Expected(1, 6, "alpine:3", "alpine:3", .from)]),
    Case(
        name: "UTF-8 BOM before a syntax directive",
        text: "\u{FEFF}# syntax=docker/dockerfile:1\r\nFROM a\r\n",
        expected: [
            Expected(1, 10, "docker/dockerfile:1", "docker/dockerfile:1", .syntax), Expected(2, 6, "a", "a", .from),
        ]),
    Case(
        name: "multi-byte text before references",
        text: "FROM a\nCOPY --chown=jürgen --from=nginx:1 /a /b\nRUN --mount=type=bind,target=/😀,from=img:1 true\n",
        expected: [
            Expected(1, 6, "a", "a", .from), Expected(2, 28, "nginx:1", "nginx:1", .copy),
            Expected(3, 38, "img:1", "img:1", .mount),
        ]),
    Case(
        name: "multi-byte text, BOM and CRLF together",
        text: "\u{FEFF}FROM --platform=$BUILDPLATFORM ünï AS x\r\nFROM ünï\r\n",
        expected: [Expected(1, 32, "ünï", "ünï", .from), Expected(2, 6, "ünï", "ünï", .from)]),
]

let argCases: [Case] = [
    Case(
        name: "global ARG default", text: "ARG BASE=python:3.12.1\nFROM ${BASE}\n",
        expected: [Expected(2, 6, "${BASE}", "python:3.12.1", .from)]),
    Case(name: "undeclared ARG", text: "FROM ${REG}/app:1.0\n", expected: [Expected(1, 6, "${REG}/app:1.0", nil, .from)]),
    Case(
        name: "build arg for a declared ARG", text: "ARG REG\nFROM ${REG}/app:1.0\n",
        buildArgs: ["REG": "ghcr.io/acme"], expected: [Expected(2, 6, "${REG}/app:1.0", "ghcr.io/acme/app:1.0", .from)]),
    Case(
        name: "build arg for an undeclared ARG does not apply", text: "FROM ${REG}/app:1.0\n",
        buildArgs: ["REG": "ghcr.io/acme"], expected: [Expected(1, 6, "${REG}/app:1.0", nil, .from)]),
    Case(
        name: "ARG without default and no build arg", text: "ARG REG\nFROM $REG/app\n",
        expected: [Expected(2, 6, "$REG/app", nil, .from)]),
    Case(
        name: "build arg overrides a default", text: "ARG TAG=1\nFROM app:$TAG\n", buildArgs: ["TAG": "2"],
        expected: [Expected(2, 6, "app:$TAG", "app:2", .from)]),
    Case(
        name: ":- default when unset", text: "ARG TAG\nFROM alpine:${TAG:-3.19}\n",
        expected: [Expected(2, 6, "alpine:${TAG:-3.19}", "alpine:3.19", .from)]),
    Case(
        name: ":- default when empty", text: "ARG TAG=\nFROM alpine:${TAG:-3.19}\n",
        expected: [Expected(2, 6, "alpine:${TAG:-3.19}", "alpine:3.19", .from)]),
    Case(
        name: ":- keeps a value", text: "ARG TAG=3.20\nFROM alpine:${TAG:-3.19}\n",
        expected: [Expected(2, 6, "alpine:${TAG:-3.19}", "alpine:3.20", .from)]),
    Case(
        name: "- keeps an empty value", text: "ARG S=\nFROM python:3.12${S-slim}\n",
        expected: [Expected(2, 6, "python:3.12${S-slim}", "python:3.12", .from)]),
    Case(
        name: "- default when undeclared", text: "FROM python:3.12${S-slim}\n",
        expected: [Expected(1, 6, "python:3.12${S-slim}", "python:3.12slim", .from)]),
    Case(
        name: ":+ alternative when set", text: "ARG SLIM=1\nFROM python:3.12${SLIM:+-slim}\n",
        expected: [Expected(2, 6, "python:3.12${SLIM:+-slim}", "python:3.12-slim", .from)]),
    Case(
        name: ":+ nothing when empty", text: "ARG SLIM=\nFROM python:3.12${SLIM:+-slim}\n",
        expected: [Expected(2, 6, "python:3.12${SLIM:+-slim}", "python:3.12", .from)]),
    Case(
        name: "+ alternative when set but empty", text: "ARG SLIM=\nFROM python:3.12${SLIM+-slim}\n",
        expected: [Expected(2, 6, "python:3.12${SLIM+-slim}", "python:3.12-slim", .from)]),
    Case(
        name: "nested default", text: "ARG REG=ghcr.io\nFROM ${IMG:-${REG}/acme/app}:1\n",
        expected: [Expected(2, 6, "${IMG:-${REG}/acme/app}:1", "ghcr.io/acme/app:1", .from)]),
    Case(
        name: "unused alternative with an undeclared variable", text: "ARG T=1\nFROM app:${T:-$NOPE}\n",
        expected: [Expected(2, 6, "app:${T:-$NOPE}", "app:1", .from)]),
    Case(
        name: "escaped dollar", text: "FROM alpine\\$x\n", expected: [Expected(1, 6, "alpine\\$x", "alpine$x", .from)]),
    Case(
        name: "escaped dollar with backtick escape", text: "# escape=`\nFROM alpine`$x\n",
        expected: [Expected(2, 6, "alpine`$x", "alpine$x", .from)]),
    Case(
        name: "quoted ARG value and quoted image", text: "ARG BASE=\"python:3.12\"\nFROM \"$BASE\"\n",
        expected: [Expected(2, 6, "\"$BASE\"", "python:3.12", .from)]),
    Case(
        name: "several ARGs on one line", text: "ARG A=alpine B=3.19\nFROM $A:$B\n",
        expected: [Expected(2, 6, "$A:$B", "alpine:3.19", .from)]),
    Case(
        name: "global ARG referencing an earlier one",
        text: "ARG REG=ghcr.io\nARG IMG=${REG}/acme/app\nFROM $IMG:1\n",
        expected: [Expected(3, 6, "$IMG:1", "ghcr.io/acme/app:1", .from)]),
    Case(
        name: "platform ARGs are known but have no value",
        text: "FROM --platform=$BUILDPLATFORM golang:1.22 AS b\nFROM alpine:${TARGETARCH}\nFROM x:${TARGETOS:-linux}\n",
        expected: [
            Expected(1, 32, "golang:1.22", "golang:1.22", .from), Expected(2, 6, "alpine:${TARGETARCH}", nil, .from),
            Expected(3, 6, "x:${TARGETOS:-linux}", nil, .from),
        ]),
    Case(
        name: "an ARG inside a stage does not affect FROM", text: "ARG V=1\nFROM a:$V\nARG V=2\nFROM b:$V\n",
        expected: [Expected(2, 6, "a:$V", "a:1", .from), Expected(4, 6, "b:$V", "b:1", .from)]),
    Case(
        name: "stage name from an ARG",
        text: "ARG BASE=golang:1.22\nFROM ${BASE} AS build\nFROM alpine\nARG STAGE=build\nCOPY --from=${STAGE} /a /b\n",
        expected: [Expected(2, 6, "${BASE}", "golang:1.22", .from), Expected(3, 6, "alpine", "alpine", .from)]),
    Case(
        name: "COPY --from sees stage ARGs and ENV, not undeclared globals",
        text: """
            ARG IMG=nginx:1
            FROM a
            COPY --from=$IMG / /
            ARG IMG
            COPY --from=$IMG / /
            ENV TOOL=ghcr.io/o/t:2
            COPY --from=${TOOL} / /

            """,
        expected: [
            Expected(2, 6, "a", "a", .from), Expected(3, 13, "$IMG", nil, .copy),
            Expected(5, 13, "$IMG", "nginx:1", .copy), Expected(7, 13, "${TOOL}", "ghcr.io/o/t:2", .copy),
        ]),
    Case(
        name: "build arg for a stage ARG", text: "FROM a\nARG TOOL\nRUN --mount=from=$TOOL,target=/t true\n",
        buildArgs: ["TOOL": "busybox:1"],
        expected: [Expected(1, 6, "a", "a", .from), Expected(3, 18, "$TOOL", "busybox:1", .mount)]),
    Case(
        name: "ONBUILD variables are not expanded here", text: "ARG T=1\nFROM a\nONBUILD COPY --from=img:$T / /\n",
        expected: [Expected(2, 6, "a", "a", .from), Expected(3, 21, "img:$T", nil, .copy)]),
]

@Test("instructions", arguments: instructionCases)
func instructions(_ c: Case) {
    #expect(expected(c.text, buildArgs: c.buildArgs) == c.expected)
}

@Test("lexing", arguments: lexingCases)
func lexing(_ c: Case) {
    #expect(expected(c.text, buildArgs: c.buildArgs) == c.expected)
    #expect(analyze(c.text).diagnostics.isEmpty)
}

@Test("ARG resolution", arguments: argCases)
func argResolution(_ c: Case) {
    #expect(expected(c.text, buildArgs: c.buildArgs) == c.expected)
}

@Test func spansAgreeWithSourceText() {
    let text = "\u{FEFF}# syntax=docker/dockerfile:1\r\nFROM --platform=ü ünï AS x\r\nRUN --mount=from=é/😀:1,target=/y --mount=from=b:2 true\r\n"
    let source = SourceText(text)
    let bytes = Array(text.utf8)
    for o in analyze(text).occurrences {
        // Find the written text's byte range on its line and compare with SourceText's own span.
        let line = source.byteRange(ofLine: o.span.line)
        let needle = Array(o.written.utf8)
        let start = (line.lowerBound...(line.upperBound - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }!
        #expect(o.span == source.span(fromByte: start, toByte: start + needle.count))
    }
    #expect(analyze(text).occurrences.count == 4)
}

@Test func unresolvedReasonNamesTheVariable() throws {
    let o = try #require(analyze("FROM ${REG}/app:1.0\n").occurrences.first)
    guard case .unresolved(let why) = o.status else {
        Issue.record("expected unresolved, got \(o.status)")
        return
    }
    #expect(why.contains("REG"))
    let p = try #require(analyze("FROM alpine:${TARGETARCH}\n").occurrences.first)
    guard case .unresolved(let why2) = p.status else {
        Issue.record("expected unresolved, got \(p.status)")
        return
    }
    #expect(why2.contains("TARGETARCH"))
}

@Test func resolvedReferencesParse() throws {
    let o = try #require(analyze("ARG BASE=python:3.12.1\nFROM ${BASE}\n").occurrences.first)
    #expect(o.reference?.tag == "3.12.1")
    #expect(o.reference?.path == "library/python")
}

@Test func contextFields() {
    let text = """
        # syntax=docker/dockerfile:1
        FROM --platform=$BUILDPLATFORM golang:1.22 AS Build
        RUN --mount=type=bind,from=alpine:3,target=/a \\
            true
        FROM gcr.io/distroless/static
        COPY --from=nginx:1 /a /b
        ONBUILD COPY --from=busybox /x /y

        """
    let os = analyze(text).occurrences
    #expect(os.count == 6)
    guard os.count == 6 else { return }
    #expect(os[0].context.instruction == "syntax")
    #expect(os[0].context.stageIndex == nil)
    #expect(os[0].anchorLine == 1)

    #expect(os[1].context.instruction == "FROM")
    #expect(os[1].context.alias == "Build")
    #expect(os[1].context.stage == "Build")
    #expect(os[1].context.stageIndex == 0)
    #expect(os[1].context.platform == "$BUILDPLATFORM")
    #expect(os[1].context.onbuild == false)

    #expect(os[2].context.instruction == "RUN")
    #expect(os[2].context.stage == "Build")
    #expect(os[2].context.stageIndex == 0)
    #expect(os[2].anchorLine == 3)

    #expect(os[3].context.stage == nil)
    #expect(os[3].context.stageIndex == 1)
    #expect(os[3].context.alias == nil)
    #expect(os[4].context.instruction == "COPY")
    #expect(os[4].context.stageIndex == 1)
    #expect(os[4].context.onbuild == false)
    #expect(os[5].context.onbuild == true)
    #expect(os[5].anchorLine == 7)
}

@Test func anchorLineIsTheInstructionsFirstLine() {
    let os = analyze("FROM a\nCOPY \\\n  --chown=1 \\\n  --from=img:1 \\\n  /a /b\n").occurrences
    #expect(os.map(\.anchorLine) == [1, 2])
    #expect(os.map(\.span.line) == [1, 4])
}
