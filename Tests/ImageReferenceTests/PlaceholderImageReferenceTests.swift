import Testing

@Test func placeholderImageReferenceTests() { #expect(Bool(true)) }
