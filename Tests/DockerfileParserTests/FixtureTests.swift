import DockerfileParser
import Foundation
import ImagelintCore
import Testing

/// Real Dockerfiles copied unmodified from the corpus (provenance in `Fixtures/SOURCES.tsv`), with the
/// occurrences each must yield, worked out by reading the file: line, column, written, resolved, source.
struct Fixture: CustomTestStringConvertible, Sendable {
    var file: String
    var expected: [Expected]
    var testDescription: String { file }
}

let fixtures: [Fixture] = [
    // CRLF line endings.
    Fixture(
        file: "knative__docs__code-samples__community__serving__helloworld-swift__Dockerfile",
        expected: [Expected(3, 6, "swift:4.2", "swift:4.2", .from)]),
    // syntax directive, --platform, FROM <stage>, two heredocs, COPY --from=<image>.
    Fixture(
        file: "docker__awesome-compose__angular__angular__Dockerfile",
        expected: [
            Expected(1, 10, "docker/dockerfile:1.4", "docker/dockerfile:1.4", .syntax),
            Expected(3, 32, "node:17.0.1-bullseye-slim", "node:17.0.1-bullseye-slim", .from),
            Expected(29, 13, "gloursdocker/docker", "gloursdocker/docker", .copy),
        ]),
    // escape=` with backtick continuations; FROM from global ARGs; COPY --from=<stage> in exec form.
    Fixture(
        file: "PowerShell__PowerShell-Docker__release__7-2__nanoserver1809__docker__Dockerfile",
        expected: [
            Expected(
                12, 6, "${InstallerRepo}:$InstallerVersion", "mcr.microsoft.com/powershell:nanoserver", .from),
            Expected(45, 6, "${NanoServerRepo}:1809", "mcr.microsoft.com/windows/nanoserver:1809", .from),
        ]),
    // Indented instructions, FROM <stage>, RUN --mount=from=<stage>.
    Fixture(
        file: "PowerShell__PowerShell-Docker__release__7-4__azurelinux3__docker__Dockerfile",
        expected: [
            Expected(4, 6, "mcr.microsoft.com/azurelinux/base/core:3.0", "mcr.microsoft.com/azurelinux/base/core:3.0", .from)
        ]),
    // Digests; FROM $ROOT_IMAGE resolving to a stage name; RUN --mount=type=bind,from=<stage>.
    Fixture(
        file: "jupyter__docker-stacks__images__docker-stacks-foundation__Dockerfile",
        expected: [
            Expected(
                10, 6, "ubuntu:24.04@sha256:561618e2c15bf2397621dd04f96926663a3b5616c189cf7e38db7e82f5c538ea",
                "ubuntu:24.04@sha256:561618e2c15bf2397621dd04f96926663a3b5616c189cf7e38db7e82f5c538ea", .from),
            Expected(
                15, 6,
                "mambaorg/micromamba:2.8.1@sha256:fb18405d6004af757a38ec498a078240b4fd5549146990a484c28bb7e78aace4",
                "mambaorg/micromamba:2.8.1@sha256:fb18405d6004af757a38ec498a078240b4fd5549146990a484c28bb7e78aace4",
                .from),
        ]),
    // Global ARGs without defaults; stage refs by FROM, mount and COPY.
    Fixture(
        file: "dotnet__dotnet-docker__eng__docker-tools__Dockerfile.syft",
        expected: [Expected(4, 6, "${SYFT_IMAGE_NAME}", nil, .from), Expected(5, 6, "${TARGET_IMAGE_NAME}", nil, .from)]),
    // Windows paths in exec form; COPY --from=<image>.
    Fixture(
        file: "docker-library__golang__1.26__windows__nanoserver-ltsc2022__Dockerfile",
        expected: [
            Expected(7, 6, "mcr.microsoft.com/windows/nanoserver:ltsc2022", "mcr.microsoft.com/windows/nanoserver:ltsc2022", .from),
            Expected(
                27, 13, "golang:1.26.7-windowsservercore-ltsc2022", "golang:1.26.7-windowsservercore-ltsc2022", .copy),
        ]),
    // COPY --from=<image@digest>.
    Fixture(
        file: "docker-library__official-images__Dockerfile",
        expected: [
            Expected(2, 6, "oisupport/bashbrew:base", "oisupport/bashbrew:base", .from),
            Expected(
                27, 13,
                "gcr.io/go-containerregistry/crane@sha256:fc86bcad43a000c2a1ca926a1e167db26c053cebc3fa5d14285c72773fb8c11d",
                "gcr.io/go-containerregistry/crane@sha256:fc86bcad43a000c2a1ca926a1e167db26c053cebc3fa5d14285c72773fb8c11d",
                .copy),
        ]),
    // Heredocs after --mount flags; RUN --mount=from=<image> on a continuation line.
    Fixture(
        file: "moby__buildkit__hack__dockerfiles__vendor.Dockerfile",
        expected: [
            Expected(1, 10, "docker/dockerfile-upstream:master", "docker/dockerfile-upstream:master", .syntax),
            Expected(6, 6, "golang:${GO_VERSION}-alpine${ALPINE_VERSION}", "golang:1.26-alpine3.23", .from),
            Expected(43, 16, "crazymax/gomod-updates", "crazymax/gomod-updates", .mount),
        ]),
    // check directive; many stages; a stage name built from a platform-dependent ARG stays unresolved.
    Fixture(
        file: "moby__buildkit__hack__dockerfiles__archutil.Dockerfile",
        expected: [
            Expected(1, 10, "docker/dockerfile-upstream:master", "docker/dockerfile-upstream:master", .syntax),
            Expected(12, 6, "debian:${DEBIAN_VERSION}-slim", "debian:trixie-slim", .from),
            Expected(74, 6, "exit-loong64-${BUILD_LOONG64}", nil, .from),
            Expected(89, 6, "golang:${GO_VERSION}-alpine${ALPINE_VERSION}", "golang:1.26-alpine3.23", .from),
        ]),
    Fixture(
        file: "cert-manager__cert-manager__hack__containers__Containerfile.controller",
        expected: [Expected(17, 6, "$BASE_IMAGE", nil, .from)]),
    Fixture(
        file: "kubernetes-sigs__metrics-server__Dockerfile",
        expected: [
            Expected(4, 6, "golang:1.26.4", "golang:1.26.4", .from),
            Expected(20, 6, "gcr.io/distroless/static:latest-$ARCH", nil, .from),
        ]),
    Fixture(
        file: "GoogleCloudPlatform__kubernetes-engine-samples__quickstarts__guestbook__php-redis__Dockerfile",
        expected: [
            Expected(14, 6, "php:7.4-apache-buster", "php:7.4-apache-buster", .from),
            Expected(16, 13, "composer:2", "composer:2", .copy),
        ]),
    // A declared ARG BUILDPLATFORM with a default; --platform with tag+digest.
    Fixture(
        file: "GoogleCloudPlatform__microservices-demo__src__adservice__Dockerfile",
        expected: [
            Expected(
                18, 32,
                "eclipse-temurin:24.0.2_12-jdk-noble@sha256:dacac8e9a0df0d2bd24e702b4431132875c249930b70555ebd7ca285b5bee684",
                "eclipse-temurin:24.0.2_12-jdk-noble@sha256:dacac8e9a0df0d2bd24e702b4431132875c249930b70555ebd7ca285b5bee684",
                .from),
            Expected(
                31, 6,
                "eclipse-temurin:25.0.3_9-jre-alpine@sha256:28db6fdf60e38945e43d840c0333aeaec66c15943070104f7586fd3c9d1665b0",
                "eclipse-temurin:25.0.3_9-jre-alpine@sha256:28db6fdf60e38945e43d840c0333aeaec66c15943070104f7586fd3c9d1665b0",
                .from),
        ]),
    Fixture(
        file: "dotnet__dotnet-docker__src__runtime-deps__9.0__azurelinux3.0-distroless__amd64__Dockerfile",
        expected: [
            Expected(2, 6, "mcr.microsoft.com/azurelinux/base/core:3.0", "mcr.microsoft.com/azurelinux/base/core:3.0", .from),
            Expected(
                22, 13, "mcr.microsoft.com/azurelinux/distroless/minimal:3.0",
                "mcr.microsoft.com/azurelinux/distroless/minimal:3.0", .copy),
            Expected(
                56, 6, "mcr.microsoft.com/azurelinux/distroless/minimal:3.0",
                "mcr.microsoft.com/azurelinux/distroless/minimal:3.0", .from),
        ]),
    Fixture(
        file: "jessfraz__dockerfiles__wireguard__tools__Dockerfile",
        expected: [
            Expected(1, 6, "debian:sid-slim", "debian:sid-slim", .from),
            Expected(11, 13, "r.j3ss.co/wireguard:install", "r.j3ss.co/wireguard:install", .copy),
            Expected(12, 13, "r.j3ss.co/wireguard:install", "r.j3ss.co/wireguard:install", .copy),
        ]),
    Fixture(
        file: "kubernetes-sigs__kustomize__functions__examples__template-heredoc-cockroachdb__image__Dockerfile",
        expected: [
            Expected(
                7, 6, "registry.k8s.io/kustomize/kustomize:${KUSTOMIZE_IMAGE_TAG}@${KUSTOMIZE_IMAGE_SHA}", nil, .from)
        ]),
    // Stages used by COPY --from with extra blanks; ARG TARGETARCH inside a stage.
    Fixture(
        file: "kubernetes__ingress-nginx__images__test-runner__rootfs__Dockerfile",
        expected: [
            Expected(18, 6, "golang:${GOLANG_VERSION}-alpine3.23", nil, .from),
            Expected(19, 6, "registry.k8s.io/etcd:${ETCD_VERSION}", nil, .from),
            Expected(21, 6, "${BASE_IMAGE}", nil, .from),
        ]),
    // Tabs between keyword and arguments.
    Fixture(
        file: "moby__buildkit__frontend__dockerfile__parser__testfiles__ADD-COPY-with-JSON__Dockerfile",
        expected: [Expected(1, 6, "ubuntu:14.04", "ubuntu:14.04", .from)]),
    Fixture(
        file: "moby__buildkit__frontend__dockerfile__parser__testfiles__escape-nonewline__Dockerfile",
        expected: [Expected(4, 6, "image", "image", .from)]),
    // syntax and escape directives with blanks; FROM continued with a backtick.
    Fixture(
        file: "moby__buildkit__frontend__dockerfile__parser__testfiles__escape-with-syntax__Dockerfile",
        expected: [
            Expected(1, 12, "docker/dockerfile", "docker/dockerfile", .syntax), Expected(5, 5, "image", "image", .from),
        ]),
    // ONBUILD, comments ending in a backslash, JSON and shell forms.
    Fixture(
        file: "moby__buildkit__frontend__dockerfile__parser__testfiles__lk4d4-the-edge-case-generator__Dockerfile",
        expected: [Expected(1, 6, "busybox:buildroot-2014.02", "busybox:buildroot-2014.02", .from)]),
    // `ARG FROM` redeclared inside a stage does not affect the next FROM.
    Fixture(
        file: "netbox-community__netbox-docker__Dockerfile",
        expected: [Expected(2, 6, "${FROM}", nil, .from), Expected(49, 6, "${FROM}", nil, .from)]),
    Fixture(
        file: "tianon__dockerfiles__jenkins__lts__Dockerfile",
        expected: [
            Expected(7, 6, "debian:trixie-slim", "debian:trixie-slim", .from),
            Expected(25, 13, "eclipse-temurin:21-jre", "eclipse-temurin:21-jre", .copy),
        ]),
    Fixture(
        file: "moby__buildkit__frontend__dockerfile__parser__testfiles__trailing-backslash__Dockerfile",
        expected: [Expected(3, 6, "hello-world", "hello-world", .from)]),
    Fixture(
        file: "moby__buildkit__frontend__dockerfile__parser__testfiles__continueIndent__Dockerfile",
        expected: [Expected(1, 6, "ubuntu:14.04", "ubuntu:14.04", .from)]),
]

let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

func loadFixture(_ name: String) throws -> SourceText {
    let data = try #require(FileManager.default.contents(atPath: fixturesDirectory + "/" + name), "missing fixture \(name)")
    return SourceText(Array(data))
}

@Test("corpus fixtures", arguments: fixtures)
func fixture(_ f: Fixture) throws {
    let a = DockerfileFrontEnd.analyze(path: f.file, text: try loadFixture(f.file))
    #expect(a.occurrences.map(Expected.init) == f.expected)
    #expect(a.diagnostics.isEmpty, "\(a.diagnostics.map(\.message))")
}

@Test func fixturesHaveProvenance() throws {
    let sources = try String(contentsOfFile: fixturesDirectory + "/SOURCES.tsv", encoding: .utf8)
    let listed = Set(sources.split(separator: "\n").dropFirst().compactMap { $0.split(separator: "\t").first.map { String($0.dropFirst("dockerfiles/".count)) } })
    let present = Set(try FileManager.default.contentsOfDirectory(atPath: fixturesDirectory)).subtracting(["SOURCES.tsv"])
    #expect(listed == present)
    #expect(Set(fixtures.map(\.file)) == present)
    #expect(present.count >= 20)
}

@Test func fixtureStagesAndReferences() throws {
    let jupyter = DockerfileFrontEnd.parse(
        path: "j", text: try loadFixture("jupyter__docker-stacks__images__docker-stacks-foundation__Dockerfile"))
    #expect(jupyter.stages.map(\.name) == ["default_root_image", "micromamba", nil])
    #expect(jupyter.stages[2].base == "$ROOT_IMAGE")
    #expect(jupyter.stages[2].baseStage == 0)
    #expect(jupyter.stageReferences.map(\.line) == [123])
    #expect(jupyter.stageReferences.map(\.instruction) == ["RUN"])

    let powershell = DockerfileFrontEnd.parse(
        path: "p", text: try loadFixture("PowerShell__PowerShell-Docker__release__7-2__nanoserver1809__docker__Dockerfile"))
    #expect(powershell.escapeCharacter == "`")
    #expect(powershell.stageReferences.map(\.line) == [71])

    let syft = DockerfileFrontEnd.parse(path: "s", text: try loadFixture("dotnet__dotnet-docker__eng__docker-tools__Dockerfile.syft"))
    #expect(syft.stageReferences.map(\.stageIndex) == [1, 2])
    #expect(syft.stages.map(\.baseStage) == [nil, nil, 0, nil])
}
