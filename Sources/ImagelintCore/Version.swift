/// What imagelint says about itself in `--version` and in reports.
public enum ImagelintInfo {
    /// The one version constant (`imagelint --version`, the reports' tool version). `Scripts/release.sh VERSION`
    /// rewrites this line in its build copy, so a release binary says the version it was released as; the
    /// number here is the last release (see CHANGELOG.md).
    public static let version = "0.1.0"
    public static let informationURI = "https://github.com/imagelint/imagelint"
}
