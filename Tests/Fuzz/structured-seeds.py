#!/usr/bin/env python3
"""Writes structure-aware seeds for a fuzz target: the shapes of issue 13's hostile inputs (aliases across
documents and `kind: List`, deep flow nesting, tags, many documents, ARG/ENV chains, long lines), which
byte mutations of corpus files do not reach. Deterministic: the same files every run.

    Tests/Fuzz/structured-seeds.py yaml .build-fuzz/structured/yaml
"""
import os
import sys


def yaml_seeds():
    pod = lambda n: ("c: &c {name: x, image: nginx}\npod: &pod {apiVersion: v1, kind: Pod, spec: {containers: ["
                     + ", ".join(["*c"] * n) + "]}}\n")
    yield "alias-list", "apiVersion: v1\nkind: List\n" + pod(30) + "items: [" + ", ".join(["*pod"] * 60) + "]\n"
    yield "alias-documents", "---\n".join(["apiVersion: v1\nkind: List\n" + pod(20) + "items: [" + ", ".join(["*pod"] * 20) + "]\n"] * 8)
    laughs = "a0: &a0 [lol, lol, lol, lol, lol]\n" + "".join(
        "a%d: &a%d [%s]\n" % (i, i, ", ".join(["*a%d" % (i - 1)] * 5)) for i in range(1, 8))
    yield "alias-laughs", laughs + "---\napiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: b}]}\n"
    yield "merge-keys", "x: &d {image: nginx, env: [{name: a, value: b}]}\nservices:\n" + "".join(
        "  s%d: {<<: *d, ports: ['80']}\n" % i for i in range(40))
    for opener, name in (("[", "flow-seq"), ("{a: ", "flow-map"), ("[{a: ", "flow-mixed"), ("{\"a\":[", "json")):
        yield "deep-" + name, "apiVersion: v1\nkind: Pod\nspec:\n  containers: " + opener * 700 + "\n---\nkind: Pod\napiVersion: v1\nspec: {containers: [{name: a, image: é:1}]}\n"
    yield "deep-block", "a:\n" + "".join("  " * i + "- \n" for i in range(1, 200))
    yield "tags", ("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - {name: a, image: !!binary bmdpbng6bGF0ZXN0}\n"
                   "  - {name: b, image: !x nginx}\n  - {name: c, image: !!int 5}\n  - {name: d, image: !!binary |\n"
                   "      bmdp\n      bng=\n    }\n  - {name: e, image: !<tag:example.com,2000:x> redis}\n")
    yield "many-documents", "---\n" * 3000 + "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: b}]}\n"
    yield "long-line", "{apiVersion: v1, kind: Pod, spec: {containers: [" + ", ".join(
        '{name: c%d, image: "r.example.com/t/a%d:latest"}' % (i, i) for i in range(300)) + "]}}\n"
    yield "long-scalar", "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: " + "a" * 20000 + "}]}\n"
    yield "undefined-alias", "a: *nope\n---\nb: &x [1]\nc: [*x, *x, *y]\n"
    yield "controls", "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: \"\\e[31mx\\u202Eb\\x9b\"}]}\n"


def dockerfile_seeds():
    doubling = "ARG A0=ab\n" + "".join("ARG A%d=${A%d}${A%d}\n" % (i, i - 1, i - 1) for i in range(1, 24)) + "FROM $A23\n"
    yield "arg-doubling", doubling
    big = "ARG A=" + "x" * 4096 + "\n" + "".join("ARG B%d=$A$A$A$A\n" % i for i in range(300)) + "FROM $B299\n"
    yield "arg-budget", big
    yield "env-chain", "FROM alpine:3.20 AS a\n" + "".join("ENV E%d=${E%d:-x}$E%d\n" % (i, i - 1, i - 1) for i in range(1, 40)) + "FROM $E39\n"
    yield "nested-defaults", "ARG U\nFROM " + "${U:-" * 300 + "alpine:3.20" + "}" * 300 + "\n"
    yield "long-from", "FROM " + "a" * 30000 + ":latest\n"
    yield "long-run", "FROM alpine:3.20\nRUN " + " && ".join(["echo ${HOME}"] * 3000) + "\n"
    yield "heredocs", "FROM alpine:3.20\n" + "".join("RUN <<EOF%d\nFROM x:%d\nEOF%d\n" % (i, i, i) for i in range(200))
    yield "continuations", "FROM alpine:3.20\nRUN true" + " \\\n x" * 3000 + "\n"
    yield "onbuild", "FROM a\n" + "".join("ONBUILD FROM $X%d\nARG X%d=y\n" % (i, i) for i in range(200))
    yield "controls", "FROM alpine:latest # \x1b]0;t\x07 \u202e\n"


def reference_seeds():
    yield "long-name", "a/" * 2000 + "b:latest"
    yield "long-tag", "nginx:" + "a" * 5000
    yield "many-ports", "localhost:" + "9" * 400 + "/a"
    yield "digest", "nginx@sha256:" + "a" * 64 * 20
    yield "controls", "nginx:\x1b[31m\u202e"


def main():
    target, out = sys.argv[1], sys.argv[2]
    seeds = {"yaml": yaml_seeds, "dockerfile": dockerfile_seeds, "reference": reference_seeds}[target]()
    os.makedirs(out, exist_ok=True)
    for name, text in seeds:
        with open(os.path.join(out, "structured-" + name), "wb") as f:
            f.write(text.encode("utf-8", "surrogateescape"))


if __name__ == "__main__":
    main()
