import Testing

@Test func placeholderManifestParserTests() { #expect(Bool(true)) }
