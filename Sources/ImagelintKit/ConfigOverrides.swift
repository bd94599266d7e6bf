import FastYAML
import ImagelintCore

extension ConfigLoader.Reader {
        /// `overrides:`: a list of `{files, images, …settings}`; validated now (positions of bad keys), applied
        /// per file and image later. The list replaces an inherited one.
        func overrides(_ node: YAMLNode, into config: inout Configuration) throws(ConfigError) {
            config.overrides = []
            if node.isNull { return }
            guard node.isSequence else {
                throw error(node, "`overrides` must be a list of {files, images, and settings such as rules}")
            }
            let directory = ConfigLoader.directory(of: file)
            for item in node.elements {
                guard item.isMapping else { throw error(item, "an `overrides` entry must be a mapping") }
                try rejectDuplicates(item)
                var files: [Glob] = []
                var images: [Glob] = []
                var settings: [String] = []
                for (k, v) in item.entries {
                    let name = try keyName(k)
                    switch name {
                    case "files": files = try stringList(v).map(Glob.init)
                    case "images": images = try stringList(v).map(Glob.init)
                    default:
                        guard ConfigLoader.overrideKeys.contains(name) else {
                            throw unknownKey(k, name, allowed: ["files", "images"] + ConfigLoader.overrideKeys, at: "overrides[].")
                        }
                        settings.append(name)
                    }
                }
                guard !files.isEmpty || !images.isEmpty else {
                    throw error(item, "an `overrides` entry needs `files` (path globs) or `images` (image globs) to select what it applies to")
                }
                // Validate the settings now, so a bad key is reported with its position once.
                var scratch = Configuration()
                let reader = self
                try ConfigLoader.apply(item, reader: reader, into: &scratch, allowed: ["files", "images"] + ConfigLoader.overrideKeys)
                let entry = item
                config.overrides.append(
                    ConfigOverride(
                        files: files, images: images, directory: directory, file: file, line: item.startLine + 1,
                        apply: { c in try? ConfigLoader.apply(entry, reader: reader, into: &c, allowed: ["files", "images"] + ConfigLoader.overrideKeys) }))
            }
        }
}
