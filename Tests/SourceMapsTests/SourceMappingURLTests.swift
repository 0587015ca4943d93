import SourceMaps
import Testing

/// Finding the `sourceMappingURL` comment at the end of a script, as Alloy's pattern finds it.
@Suite struct SourceMappingURLTests {
    private func find(_ script: String) -> String? { SourceMappingURL.find(in: Array(script.utf8)) }

    @Test func readsTheCommentThatEndsTheScript() throws {
        #expect(find("f();\n//# sourceMappingURL=foo.js.map") == "foo.js.map")
        #expect(find("f();\n//# sourceMappingURL=foo.js.map\n") == "foo.js.map")
        #expect(find("f();\n//# sourceMappingURL=foo.js.map\r\n") == "foo.js.map")
        #expect(find("f();//# sourceMappingURL=https://cdn.example/a.map") == "https://cdn.example/a.map")
        let vector = try Fixtures.fooScript()
        #expect(SourceMappingURL.find(in: vector) == "foo.js.map")
    }

    @Test func readsTheOlderSpellingsAndSpaceAfterTheEqualsSign() {
        #expect(find("f();\n//@ sourceMappingURL=old.map\n") == "old.map")
        #expect(find("f();\n//# sourceURL=named.js\n") == "named.js")
        #expect(find("f();\n//#\tsourceMappingURL=  \n spaced.map") == "spaced.map")
        #expect(find("//# sourceMappingURL= sourceMappingURL=x") == "sourceMappingURL=x")
    }

    @Test func theLastCommentWins() {
        #expect(find("//# sourceMappingURL=first.map\nf();\n//# sourceMappingURL=second.map\n") == "second.map")
    }

    @Test func findsNothingElsewhere() {
        #expect(find("") == nil)
        #expect(find("f();") == nil)
        #expect(find("//# sourceMappingURL=a.map\nf();") == nil)
        #expect(find("//# sourceMappingURL=a.map\n\n") == nil)
        #expect(find("//# sourceMappingURL=a.map ") == nil)
        #expect(find("//#  sourceMappingURL=a.map") == nil)
        #expect(find("/# sourceMappingURL=a.map") == nil)
        #expect(find("//# sourceMappingURL=") == nil)
        #expect(find("//# sourcemappingurl=a.map") == nil)
    }
}
