import DockerfileParser
import ImagelintCore
import Testing

@Test(arguments: [
    ("Dockerfile", true), ("Containerfile", true), ("dockerfile", true), ("DOCKERFILE", true),
    ("Dockerfile.dev", true), ("Containerfile.arm64", true), ("api.Dockerfile", true), ("api.dockerfile", true),
    ("src/app/Dockerfile", true), ("Dockerfile.windows", true), ("Dockerfile-debug", true), ("Dockerfile_prod", true),
    ("api.Containerfile", true), ("Containerfile-arm64", true), ("dockerfile_test.go", false), ("Dockerfile-", false),
    (".dockerignore", false), ("Dockerfile.dockerignore", false), ("app.dockerignore", false),
    ("Dockerfile.", false), (".Dockerfile", false), ("Dockerfiles", false), ("MyDockerfile", false),
    ("docker-compose.yml", false), ("Dockerfile/readme.md", false), ("", false),
])
func dockerfileNames(_ name: String, _ isDockerfile: Bool) {
    #expect(DockerfileFrontEnd.isDockerfileName(name) == isDockerfile)
}

@Test func stagesAndStageReferences() {
    let text = """
        # syntax=docker/dockerfile:1
        # escape=\\
        ARG GO=1.22
        FROM --platform=$BUILDPLATFORM golang:${GO} AS Build
        RUN --mount=type=cache,from=build,target=/c <<EOF
        go build
        EOF
        FROM build AS test
        FROM scratch
        COPY --from=0 /a /a
        COPY --from=TEST /b /b
        ONBUILD RUN echo hi

        """
    let doc = DockerfileFrontEnd.parse(path: "x/Dockerfile", text: SourceText(text))
    #expect(doc.directives.map(\.name) == ["syntax", "escape"])
    #expect(doc.escapeCharacter == "\\")
    #expect(doc.stages.map(\.name) == ["Build", "test", nil])
    #expect(doc.stages.map(\.line) == [4, 8, 9])
    #expect(doc.stages.map(\.resolvedBase) == ["golang:1.22", "build", "scratch"])
    #expect(doc.stages.map(\.baseStage) == [nil, 0, nil])
    #expect(doc.stages.map(\.isScratch) == [false, false, true])
    #expect(doc.stages[0].platform == "$BUILDPLATFORM")
    #expect(doc.stageReferences.map(\.stageIndex) == [0, 0, 1])
    #expect(doc.stageReferences.map(\.line) == [5, 10, 11])
    #expect(doc.stageReferences.map(\.instruction) == ["RUN", "COPY", "COPY"])
    #expect(doc.instructions.map(\.keyword) == ["ARG", "FROM", "RUN", "FROM", "FROM", "COPY", "COPY", "ONBUILD"])
    #expect(doc.instructions[2].heredocs == ["EOF"])
    #expect(doc.instructions[2].line == 5)
    #expect(doc.instructions[2].endLine == 7)
    #expect(doc.instructions[2].flags == ["mount"])
    #expect(doc.instructions[7].trigger == "RUN")
    #expect(doc.instructions.map(\.stageIndex) == [nil, 0, 0, 1, 2, 2, 2, 2])
    #expect(doc.occurrences.map(\.written) == ["docker/dockerfile:1", "golang:${GO}"])
    #expect(doc.diagnostics.isEmpty)
    #expect(doc.analysis.occurrences.first?.file == "x/Dockerfile")
}

@Test func backtickEscapeIsRecorded() {
    let doc = DockerfileFrontEnd.parse(path: "Dockerfile", text: SourceText("# escape=`\nFROM a\n"))
    #expect(doc.escapeCharacter == "`")
}

@Test func jsonFormIsRecognised() {
    let doc = DockerfileFrontEnd.parse(
        path: "Dockerfile", text: SourceText("FROM a\nCMD [\"a\", \"b\\\"c\"]\nCMD [\"a\" \"b\"]\nRUN []\n"))
    #expect(doc.instructions.map(\.isJSONForm) == [false, true, false, true])
}
