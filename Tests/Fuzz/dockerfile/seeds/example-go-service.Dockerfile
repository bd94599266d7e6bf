# syntax=docker/dockerfile:1.7
# A multi-stage Go service whose base images are chosen with ARGs.
ARG GO_VERSION=1.22
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/server ./cmd/server

# Static analysis tools come from an image, not from a stage.
FROM build AS lint
COPY --from=golangci/golangci-lint:v1.57.2 /usr/bin/golangci-lint /usr/bin/golangci-lint
RUN golangci-lint run ./...

FROM ${RUNTIME_IMAGE}
COPY --from=build /out/server /server
USER nonroot:nonroot
ENTRYPOINT ["/server"]
