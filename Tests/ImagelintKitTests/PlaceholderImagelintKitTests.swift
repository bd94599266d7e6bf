import Testing

@Test func placeholderImagelintKitTests() { #expect(Bool(true)) }
