/// kustomize trees for the build tests and the `kubectl kustomize` oracle: each case's files, the images each
/// root's build holds (as `kubectl kustomize <root>` writes them) and the findings imagelint reports
/// (`path:line rule`, with the roots a finding names after `@`).
struct KustomizeCase: Sendable, CustomTestStringConvertible {
    var name: String
    var files: [String: String]
    /// Root directory → the images of its build, sorted.
    var images: [String: [String]]
    var findings: Set<String>
    /// Diagnostics (`path:line` and a word of the message), for trees kustomize cannot build.
    var diagnostics: Set<String> = []
    /// False when `kubectl kustomize` fails on purpose (missing resources, cycles).
    var builds = true
    var testDescription: String { name }

    static func deployment(_ images: [String], name: String = "app", list: String = "containers") -> String {
        var s = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: \(name)\nspec:\n  selector:\n    matchLabels: {app: \(name)}\n"
        s += "  template:\n    metadata:\n      labels: {app: \(name)}\n    spec:\n      \(list):\n"
        for (i, image) in images.enumerated() { s += "        - name: c\(i)\n          image: \(image)\n" }
        return s
    }

    static let kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"

    static let all: [KustomizeCase] = [
        KustomizeCase(
            name: "newName only keeps the base's tag: the base's latest is what deploys",
            files: [
                "base/deployment.yaml": deployment(["nginx:latest"]),  // line 14: image
                "base/kustomization.yaml": kustomization + "resources:\n  - deployment.yaml\n",
                "overlay/kustomization.yaml": kustomization + "resources:\n  - ../base\nimages:\n  - name: nginx\n    newName: ghcr.io/acme/nginx\n",
            ],
            images: ["overlay": ["ghcr.io/acme/nginx:latest"]],
            findings: ["base/deployment.yaml:14 latest-tag@overlay", "base/deployment.yaml:14 missing-digest@overlay"]),
        KustomizeCase(
            name: "newTag only rewrites the base's placeholder, which is not reported as written",
            files: [
                "base/deployment.yaml": deployment(["api"]),
                "base/kustomization.yaml": kustomization + "resources:\n  - deployment.yaml\n",
                "prod/kustomization.yaml": kustomization + "resources:\n  - ../base\nimages:\n  - name: api\n    newTag: \"1.2\"\n",
            ],
            images: ["prod": ["api:1.2"]],
            findings: ["prod/kustomization.yaml:7 floating-tag", "prod/kustomization.yaml:7 missing-digest"]),
        KustomizeCase(
            name: "digest only replaces the tag",
            files: [
                "base/deployment.yaml": deployment(["redis:7.2.4"]),
                "base/kustomization.yaml": kustomization + "resources:\n  - deployment.yaml\n",
                "prod/kustomization.yaml": kustomization
                    + "resources:\n  - ../base\nimages:\n  - name: redis\n    digest: sha256:2d4e459f4ecb5329407ae3e47cbc107a2fbace221354ca75960af4c047b3cb13\n",
            ],
            images: ["prod": ["redis@sha256:2d4e459f4ecb5329407ae3e47cbc107a2fbace221354ca75960af4c047b3cb13"]],
            findings: []),
        KustomizeCase(
            name: "components run after the resources, before the overlay's own entries; two roots share a finding",
            files: [
                "base/deployment.yaml": deployment(["nginx:1.25.3", "busybox:1.36"]),
                "base/kustomization.yaml": kustomization + "resources:\n  - deployment.yaml\n",
                // After GoogleCloudPlatform/microservices-demo kustomize/components/container-images-registry (Apache-2.0).
                "components/registry/kustomization.yaml":
                    "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n- name: nginx\n  newName: mirror.acme.io/nginx\n",
                "a/kustomization.yaml": kustomization
                    + "resources:\n  - ../base\ncomponents:\n  - ../components/registry\nimages:\n  - name: nginx\n    newTag: \"9\"\n  - name: mirror.acme.io/nginx\n    newTag: \"1.27\"\n",
                "b/kustomization.yaml": kustomization + "resources:\n  - ../base\ncomponents:\n  - ../components/registry\n",
            ],
            images: ["a": ["busybox:1.36", "mirror.acme.io/nginx:1.27"], "b": ["busybox:1.36", "mirror.acme.io/nginx:1.25.3"]],
            findings: [
                "a/kustomization.yaml:8 unused-image-override nginx→mirror.acme.io/nginx", "a/kustomization.yaml:11 floating-tag",
                "a/kustomization.yaml:11 missing-digest", "base/deployment.yaml:16 missing-digest@a,b", "base/deployment.yaml:16 floating-tag@a,b",
                "base/deployment.yaml:14 missing-digest@b",
            ]),
        KustomizeCase(
            name: "a strategic-merge patch sets an image, then the overlay's entries rewrite it",
            files: [
                "base/deployment.yaml": deployment(["api:1.0.0"]),
                "base/kustomization.yaml": kustomization + "resources:\n  - deployment.yaml\n",
                "dev/patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: c0\n          image: api:latest\n        - name: debug\n          image: busybox\n",
                "dev/kustomization.yaml": kustomization
                    + "resources:\n  - ../base\npatches:\n  - path: patch.yaml\nimages:\n  - name: busybox\n    newTag: \"1.36.1\"\n",
            ],
            images: ["dev": ["api:latest", "busybox:1.36.1"]],
            findings: ["dev/patch.yaml:10 latest-tag", "dev/patch.yaml:10 missing-digest", "dev/kustomization.yaml:9 missing-digest"]),
        KustomizeCase(
            name: "a JSON 6902 patch and an inline patch set images; $patch: delete removes an object",
            files: [
                "base/deployment.yaml": deployment(["api:1.0.0", "sidecar:1.0.0"]) + "---\n" + deployment(["redis:7.2.4"], name: "cache"),
                "base/kustomization.yaml": kustomization + "resources:\n  - deployment.yaml\n",
                "dev/ops.yaml": "- op: replace\n  path: /spec/template/spec/containers/1/image\n  value: sidecar:edge\n",
                "dev/kustomization.yaml": kustomization
                    + "resources:\n  - ../base\npatches:\n  - path: ops.yaml\n    target:\n      kind: Deployment\n      name: app\n"
                    + "  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: cache\n      $patch: delete\n"
                    + "  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: app\n      spec:\n        template:\n          spec:\n            containers:\n              - name: c0\n                image: api:latest\n",
            ],
            images: ["dev": ["api:latest", "sidecar:edge"]],
            findings: [
                "dev/ops.yaml:3 missing-digest", "dev/ops.yaml:3 floating-tag",
                "dev/kustomization.yaml:26 latest-tag", "dev/kustomization.yaml:26 missing-digest",
            ]),
        KustomizeCase(
            name: "nested bases three levels deep: each level's entries run in order, the root's last",
            files: [
                "l1/deployment.yaml": deployment(["app", "worker:2.0.0"]),
                "l1/kustomization.yaml": kustomization + "resources:\n  - deployment.yaml\nimages:\n  - name: app\n    newTag: 1.0.0\n",
                "l2/kustomization.yaml": kustomization + "resources:\n  - ../l1\nimages:\n  - name: app\n    newName: registry.acme.io/app\n",
                "l3/kustomization.yaml": kustomization
                    + "resources:\n  - ../l2\nnamespace: shop\nimages:\n  - name: registry.acme.io/app\n    newTag: 1.1.0\n",
                "root/kustomization.yaml": kustomization
                    + "resources:\n  - ../l3\nimages:\n  - name: worker\n    digest: sha256:0f04e4f646a3f14bf31d8bc8d885b6c951fdcf42589d06845f64d18aec6a3c4d\n",
            ],
            images: [
                "root": ["registry.acme.io/app:1.1.0", "worker@sha256:0f04e4f646a3f14bf31d8bc8d885b6c951fdcf42589d06845f64d18aec6a3c4d"]
            ],
            findings: ["l3/kustomization.yaml:8 missing-digest@root"]),
        KustomizeCase(
            name: "an unused override suggests the close container image",
            files: [
                "base/deployment.yaml": deployment(["ghcr.io/acme/api:1.0.0@sha256:9c1f7a3e1b2d4c5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f", "nginx:1.25.3@sha256:0f04e4f646a3f14bf31d8bc8d885b6c951fdcf42589d06845f64d18aec6a3c4d"]),
                "base/kustomization.yaml": kustomization + "resources:\n  - deployment.yaml\n",
                "prod/kustomization.yaml": kustomization
                    + "resources:\n  - ../base\nimages:\n  - name: ngnix\n    newTag: 1.25.4\n  - name: api\n    newTag: 1.0.1\n",
            ],
            images: [
                "prod": [
                    "ghcr.io/acme/api:1.0.0@sha256:9c1f7a3e1b2d4c5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f",
                    "nginx:1.25.3@sha256:0f04e4f646a3f14bf31d8bc8d885b6c951fdcf42589d06845f64d18aec6a3c4d",
                ]
            ],
            findings: ["prod/kustomization.yaml:6 unused-image-override ngnix→nginx", "prod/kustomization.yaml:8 unused-image-override api→ghcr.io/acme/api"]),
        KustomizeCase(
            name: "a base used by no overlay is a root of its own",
            files: [
                "base/deployment.yaml": deployment(["nginx"]),
                "base/kustomization.yaml": kustomization + "resources:\n  - deployment.yaml\n",
            ],
            images: ["base": ["nginx"]],
            findings: ["base/deployment.yaml:14 missing-tag", "base/deployment.yaml:14 missing-digest"]),
        KustomizeCase(
            name: "a resource cycle is a diagnostic, not a hang",
            files: [
                "a/kustomization.yaml": kustomization + "resources:\n  - ../b\n",
                "b/kustomization.yaml": kustomization + "resources:\n  - ../a\n  - deployment.yaml\n",
                "b/deployment.yaml": deployment(["nginx:1.25.3"]),
            ],
            images: [:],
            findings: ["b/deployment.yaml:14 missing-digest@a"],
            diagnostics: ["b/kustomization.yaml:4 cycle"],
            builds: false),
        KustomizeCase(
            name: "a diamond of bases 2^20 paths deep is cut short with a diagnostic, not run for ever",
            files: Dictionary(uniqueKeysWithValues: (0...20).map { i in
                ("k\(i)/kustomization.yaml", i == 20
                    ? kustomization + "resources:\n  - deployment.yaml\n" : kustomization + "resources:\n  - ../k\(i + 1)\ncomponents: []\nbases:\n  - ../k\(i + 1)\n")
            } + [("k20/deployment.yaml", deployment(["nginx:1.25.3@sha256:0f04e4f646a3f14bf31d8bc8d885b6c951fdcf42589d06845f64d18aec6a3c4d"]))]),
            images: [:],
            findings: [],
            diagnostics: ["k0/kustomization.yaml:1 more"],
            builds: false),
        KustomizeCase(
            name: "missing and unusable resources are diagnostics; the rest is still checked",
            files: [
                "app/kustomization.yaml": kustomization
                    + "resources:\n  - deployment.yaml\n  - gone.yaml\n  - emptydir\n  - https://github.com/acme/deploy//base?ref=v1\nimages:\n  - name: other\n    newTag: latest\n",
                "app/deployment.yaml": deployment(["nginx:1.25.3"]),
                "app/emptydir/readme.md": "not a kustomization\n",
            ],
            images: [:],
            findings: ["app/deployment.yaml:14 missing-digest", "app/kustomization.yaml:10 latest-tag", "app/kustomization.yaml:9 missing-digest"],
            diagnostics: ["app/kustomization.yaml:5 neither", "app/kustomization.yaml:6 neither", "app/kustomization.yaml:7 fetches"],
            builds: false),
    ]
}

import Testing
