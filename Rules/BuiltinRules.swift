import ImagelintCore

/// Every built-in rule, in rule-table order. A test checks that every rule file is listed here.
public enum BuiltinRules {
    public static let all: [any Rule.Type] = [
        LatestTag.self,
        MissingTag.self,
        FloatingTag.self,
        UnpinnedBase.self,
        MissingDigest.self,
        InvalidReference.self,
        UnresolvedReference.self,
        PullPolicyRule.self,
        ImplicitPullPolicy.self,
        DeprecatedRegistry.self,
        UntrustedRegistry.self,
        MissingPullSecret.self,
        UnusedImageOverride.self,
        IneffectivePullSecret.self,
        RegistryNamespace.self,
        ArchSpecificImage.self,
        WindowsBuildMismatch.self,
        TagPatternRule.self,
        TagNotFound.self,
        DigestMismatch.self,
        PlatformDigest.self,
        ParseError.self,
        InvalidSuppression.self,
        UnusedSuppression.self,
    ]

    public static var descriptions: [RuleDescription] { all.map { $0.description } }

    public static func description(of id: String) -> RuleDescription? { descriptions.first { $0.id == id } }
}
