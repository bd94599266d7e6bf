import Testing

@Test func placeholderFastYAMLTests() { #expect(Bool(true)) }
