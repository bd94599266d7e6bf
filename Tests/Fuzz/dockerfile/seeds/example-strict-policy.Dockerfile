FROM ghcr.io/acme/base:1.4@sha256:4aea012537edfad80f98d870a36e6b90b4c09b27be7f4b4759d72db863baeebb AS base
FROM quay.io/prometheus/node-exporter:v1.7.0
COPY --from=base /etc/ssl /etc/ssl
