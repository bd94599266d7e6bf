import Testing

@Test func placeholderDockerfileParserTests() { #expect(Bool(true)) }
