import Testing

@testable import ImageReference

/// Documentation placeholders are unresolved (info), not invalid (error): they are never meant to be pulled.
@Suite struct PlaceholderTests {
    @Test(arguments: [
        ("REGION-docker.pkg.dev/PROJECT_ID/repo/app:v1", "PROJECT_ID"),
        ("CONTAINER_IMAGE", "CONTAINER_IMAGE"),
        ("docker.io/{username}/helloworld", "{username}"),
        ("gcr.io/<PROJECT_ID>/app", "<PROJECT_ID>"),
        ("<registry/repository/image:tag>", "<registry/repository/image:tag>"),
        ("us-docker.pkg.dev/MY_PROJECT/app@sha256:abc", "MY_PROJECT"),
    ])
    func placeholders(_ text: String, _ token: String) {
        guard case .unresolved(let why) = ImageReference.classify(text) else {
            Issue.record("\(text) should be unresolved")
            return
        }
        #expect(why.contains(token))
    }

    @Test(arguments: ["app:RELEASE_1", "foo_bar/x:1.0.0", "nginx:1.25.3", "ghcr.io/a_b/c:TAG_X"])
    func notPlaceholders(_ text: String) {
        #expect(Templating.unresolvedReason(text) == nil, "\(text)")
    }

    @Test func uppercaseWithoutUnderscoreStaysInvalid() {
        guard case .invalid(let e) = ImageReference.classify("MyOrg/App:1") else {
            Issue.record("MyOrg/App:1 should be invalid")
            return
        }
        #expect(e.description == "repository name must be lowercase: `MyOrg/App`")
    }
}
