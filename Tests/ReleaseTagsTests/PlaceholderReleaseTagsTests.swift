import Testing

@Test func placeholderReleaseTagsTests() { #expect(Bool(true)) }
