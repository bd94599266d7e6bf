import CYAML

/// Placeholder: the libyaml event wrapper arrives with the YAML front-end work.
public enum FastYAML {
    public static var libyamlVersion: String { String(cString: yaml_get_version_string()) }
}
