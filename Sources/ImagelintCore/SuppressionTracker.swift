/// The suppressions of one file while the engine checks it: the comments, the `imagelint.io/ignore`
/// annotations met on its occurrences, and which ids of each suppressed something (for `unused-suppression`).
struct SuppressionTracker {
    let comments: SuppressionIndex
    /// False with `--no-ignore`: nothing is suppressed (directives are still collected, for typos).
    let applied: Bool
    private(set) var annotations: [SuppressionDirective] = []
    private var annotationIndex: [IgnoreAnnotation: Int] = [:]
    private var usedComments: [Set<String>]
    private var usedAnnotations: [Set<String>] = []

    init(comments: SuppressionIndex, applied: Bool) {
        self.comments = comments
        self.applied = applied
        usedComments = Array(repeating: [], count: comments.directives.count)
    }

    /// Records the annotations an occurrence carries (each annotation once, however many images it covers).
    mutating func addAnnotations(of o: Occurrence) {
        guard let list = o.origin.facts(AnnotationSuppression.self)?.ignoreAnnotation, !list.isEmpty else { return }
        for a in list where annotationIndex[a] == nil {
            guard let d = SuppressionDirective(annotation: a) else { continue }
            annotationIndex[a] = annotations.count
            annotations.append(d)
            usedAnnotations.append([])
        }
    }

    /// The suppression hiding `rule`'s finding on `o` (at `part` of it), marking the directive used.
    mutating func suppression(of rule: String, _ o: Occurrence, part: ReferencePart? = nil) -> Suppression? {
        guard applied else { return nil }
        if let k = comments.directive(
            suppressing: rule, anchorLine: o.anchorLine, allowTrailing: o.source.fileKind != .dockerfile)
        {
            return useComment(k, rule)
        }
        // A reference assembled from several scalars: a comment at the scalar the finding points at works too.
        if let part, let span = o.parts[part], span.line != o.anchorLine,
            let k = comments.directive(suppressing: rule, anchorLine: span.line, allowTrailing: true)
        {
            return useComment(k, rule)
        }
        if let list = o.origin.facts(AnnotationSuppression.self)?.ignoreAnnotation {
            for a in list {
                guard let k = annotationIndex[a], annotations[k].covers(rule) else { continue }
                usedAnnotations[k].insert(annotations[k].rules.contains(rule) ? rule : "all")
                return Suppression(justification: annotations[k].reason, via: .annotation, line: annotations[k].line)
            }
        }
        return nil
    }

    /// The suppression hiding a finding of `rule` at `line` that is not about an image (parse errors, the
    /// suppression rules' own findings): a comment there, above or file-wide. `aboveOnly` (for findings about a
    /// suppression, at its own line): not the comment on that line, which is the suppression itself.
    mutating func suppression(of rule: String, line: Int, aboveOnly: Bool = false) -> Suppression? {
        guard applied else { return nil }
        guard let k = comments.directive(suppressing: rule, anchorLine: line, allowTrailing: !aboveOnly) else {
            return nil
        }
        return useComment(k, rule)
    }

    private mutating func useComment(_ k: Int, _ rule: String) -> Suppression {
        let d = comments.directives[k]
        usedComments[k].insert(d.rules.contains(rule) ? rule : "all")
        return Suppression(justification: d.reason, via: .comment, line: d.line)
    }

    /// Every directive, comments then annotations, each in file order.
    var allDirectives: [SuppressionDirective] {
        (comments.directives + annotations).sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// Every directive with the ids of it that suppressed something, in file order.
    var directivesWithUse: [(SuppressionDirective, Set<String>)] {
        (Array(zip(comments.directives, usedComments)) + Array(zip(annotations, usedAnnotations)))
            .sorted { ($0.0.line, $0.0.column) < ($1.0.line, $1.0.column) }
    }
}
