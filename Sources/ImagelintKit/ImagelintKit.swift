import ImagelintCore

public enum ImagelintKit {}
