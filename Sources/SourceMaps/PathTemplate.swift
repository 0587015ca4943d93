/// A location's `path` with its `{{ .Release }}` actions, the one template field Alloy offers
/// (`text/template` with `.Release`), in the spellings Go accepts: `{{.Release}}`,
/// `{{ .Release }}`, and with trim markers, `{{- .Release -}}`, which remove the whitespace
/// before or after the action.
struct PathTemplate: Sendable, Hashable {
    /// Text and release placeholders, in order.
    private enum Piece: Sendable, Hashable {
        case text(String)
        case release
    }

    private let pieces: [Piece]

    /// Parses `path`; fails on any other action (Alloy panics on a template that does not parse).
    init(_ path: String) throws(SourceMapLocationError) {
        let bytes = Array(path.utf8)
        var pieces: [Piece] = []
        var text: [UInt8] = []
        var trimNextText = false
        var index = 0
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        while index < bytes.count {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{") else {
                if !(trimNextText && isSpace(bytes[index])) {
                    trimNextText = false
                    text.append(bytes[index])
                }
                index += 1
                continue
            }
            trimNextText = false
            let start = index
            var close = index + 2
            while close + 1 < bytes.count && !(bytes[close] == UInt8(ascii: "}") && bytes[close + 1] == UInt8(ascii: "}")) {
                close += 1
            }
            guard close + 1 < bytes.count else { throw .unsupportedTemplate(path: path, offset: start) }
            var inner = bytes[(index + 2)..<close]
            if inner.count >= 2, inner.first == UInt8(ascii: "-"), isSpace(inner[inner.startIndex + 1]) {
                inner = inner.dropFirst()
                while let last = text.last, isSpace(last) { text.removeLast() }
            }
            if inner.count >= 2, inner.last == UInt8(ascii: "-"), isSpace(inner[inner.endIndex - 2]) {
                inner = inner.dropLast()
                trimNextText = true
            }
            guard Array(inner.drop(while: isSpace).reversed().drop(while: isSpace).reversed()) == Array(".Release".utf8) else {
                throw .unsupportedTemplate(path: path, offset: start)
            }
            if !text.isEmpty { pieces.append(.text(String(decoding: text, as: UTF8.self))) }
            text.removeAll()
            pieces.append(.release)
            index = close + 2
        }
        if !text.isEmpty { pieces.append(.text(String(decoding: text, as: UTF8.self))) }
        self.pieces = pieces
    }

    /// The path for `release` (already cleaned by the caller).
    func render(release: String) -> String {
        var path = ""
        for piece in pieces {
            switch piece {
            case .text(let text): path += text
            case .release: path += release
            }
        }
        return path
    }
}
