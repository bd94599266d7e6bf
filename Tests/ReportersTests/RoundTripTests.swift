import Foundation
import ImagelintCore
import Testing

@testable import Reporters

/// A finding whose message, image and path hold `"`, `<`, `&`, `%`, `,`, `:`, CR/LF, an emoji, a tab and
/// a C0 control comes back unchanged from every machine-readable format (XML formats: with the documented
/// replacement of C0 controls by U+24XX pictures).
@Suite struct RoundTripTests {
    let report = Fixtures.nasty
    let message = Fixtures.nastyMessage
    let image = Fixtures.nastyImage
    let file = Fixtures.nastyFile

    private func strings(_ script: String, _ output: String, modules: [String] = []) throws -> [String] {
        let parsed = Python.json(script, input: output, modules: modules)
        return try #require(parsed as? [String])
    }

    @Test func json() throws {
        let got = try strings(
            """
            import json
            d = json.load(open(sys.argv[1], encoding='utf-8'))
            f = d['findings'][0]
            print(json.dumps([f['message'], f['image'], f['file'], f['fix']['description'], f['fix']['replacement'], d['diagnostics'][0]['message']]))
            """, JSONReporter().render(report))
        #expect(got == [message, image, file, message, image, message])
    }

    @Test func sarif() throws {
        let got = try strings(
            """
            import json, urllib.parse
            d = json.load(open(sys.argv[1], encoding='utf-8'))
            r = d['runs'][0]['results'][0]
            loc = r['locations'][0]['physicalLocation']['artifactLocation']
            fix = r['fixes'][0]
            print(json.dumps([r['message']['text'], r['properties']['image'], urllib.parse.unquote(loc['uri'], errors='strict'),
                fix['description']['text'], fix['artifactChanges'][0]['replacements'][0]['insertedContent']['text']]))
            """, SARIFReporter().render(report))
        #expect(got == [message, image, file, message, image])
    }

    @Test func gitlab() throws {
        let got = try strings(
            """
            import json
            d = json.load(open(sys.argv[1], encoding='utf-8'))
            print(json.dumps([d[0]['description'], d[0]['location']['path']]))
            """, GitLabReporter().render(report))
        #expect(got == [message, file])
    }

    @Test func junit() throws {
        let got = try strings(
            """
            import json
            import xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            suite = root.find('testsuite')
            case = suite.find('testcase')
            failure = case.find('failure')
            print(json.dumps([suite.get('name'), case.get('classname'), failure.get('message'), failure.text]))
            """, JUnitReporter(rootTotals: true).render(report))
        let xml = XMLText.representable
        #expect(got == [xml(file), xml(file), xml(message), xml("2:3 " + image + " " + message)])
        #expect(xml(message) == "Image \"a<b>&c%d,e:f\r\ng 🐳 ␁x\" has\ta bad tag ]]> 'q'")
    }

    @Test func checkstyle() throws {
        let got = try strings(
            """
            import json
            import xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            f = root.find('file')
            e = f.find('error')
            print(json.dumps([f.get('name'), e.get('message'), e.get('source')]))
            """, CheckstyleReporter().render(report))
        #expect(got == [XMLText.representable(file), XMLText.representable(message), "imagelint.latest-tag"])
    }

    @Test func github() throws {
        let line = GitHubReporter().render(report)
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().split(separator: "\n", omittingEmptySubsequences: false).count == 1)
        let command = try #require(WorkflowCommand(parsing: String(line.dropLast())))
        #expect(command.name == "warning")
        #expect(command.message == message)
        #expect(command.properties["file"] == file)
        #expect(command.properties["title"] == "imagelint latest-tag")
        #expect(command.properties["line"] == "2")
        #expect(command.properties["col"] == "3")
        #expect(command.properties["endLine"] == "2")
        #expect(command.properties["endColumn"] == "7")
    }

    @Test func xmlHasNoForbiddenCharacters() {
        for out in [JUnitReporter(rootTotals: true).render(report), CheckstyleReporter().render(report)] {
            #expect(!out.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0xFFFE || $0.value == 0xFFFF })
            #expect(out.contains("🐳"))
        }
        Golden.check(JUnitReporter(rootTotals: true).render(report), "nasty.junit.xml")
        Golden.check(CheckstyleReporter().render(report), "nasty.checkstyle.xml")
        Golden.check(GitHubReporter().render(report), "nasty.github.txt")
    }
}

/// A workflow-command reader following actions/runner `ActionCommand.TryParseV2` and its unescaping.
struct WorkflowCommand {
    var name: String
    var properties: [String: String] = [:]
    var message: String

    init?(parsing line: String) {
        var rest = Substring(line.drop { $0 == " " || $0 == "\t" })
        guard rest.hasPrefix("::") else { return nil }
        rest = rest.dropFirst(2)
        guard let end = rest.range(of: "::") else { return nil }
        let info = rest[..<end.lowerBound]
        message = Self.unescapeData(String(rest[end.upperBound...]))
        if let space = info.firstIndex(of: " ") {
            name = String(info[..<space])
            for pair in info[info.index(after: space)...].split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard kv.count == 2 else { continue }
                properties[String(kv[0])] = Self.unescapeProperty(String(kv[1]))
            }
        } else {
            name = String(info)
        }
    }

    static func unescapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%25", with: "%")
    }

    static func unescapeProperty(_ s: String) -> String {
        s.replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%2C", with: ",")
            .replacingOccurrences(of: "%25", with: "%")
    }
}
