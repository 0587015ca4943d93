import Testing
import W3CTraceContext

@Suite struct TraceStateTests {
    @Test func parsesMembersInOrder() throws {
        let state = try TraceState(parsing: "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
        #expect(state.map(\.key) == ["rojo", "congo"])
        #expect(state.value(forKey: "congo") == "t61rcWkgMzE")
        #expect(state.value(forKey: "missing") == nil)
        #expect(state.headerValue == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
    }

    @Test func spacesTabsAndEmptyMembersAreDropped() throws {
        let state = try TraceState(parsing: " ,\trojo=1 \t, , congo= leading space kept ,")
        #expect(state.headerValue == "rojo=1,congo= leading space kept")
        #expect(try TraceState(parsing: "").isEmpty)
        #expect(try TraceState(parsing: " , ").isEmpty)
    }

    @Test func severalFieldsAreJoined() throws {
        let state = try TraceState(parsingFields: ["a=1,b=2", "c=3"])
        #expect(state.headerValue == "a=1,b=2,c=3")
    }

    @Test func keyGrammars() throws {
        let tenant = String(repeating: "t", count: 241) + "@" + String(repeating: "v", count: 14)
        #expect(throws: Never.self) { try TraceState(parsing: tenant + "=1") }
        #expect(throws: Never.self) { try TraceState(parsing: String(repeating: "z", count: 256) + "=1") }
        #expect(throws: Never.self) { try TraceState(parsing: "1tenant@system=1") }
        for key in ["1a", "t@" + String(repeating: "v", count: 15), String(repeating: "t", count: 242) + "@v", "a@b@c", "A", "a.b"] {
            #expect(throws: TraceStateError.invalidKey(offset: 0)) { try TraceState(parsing: key + "=1") }
        }
        let level2 = TraceState.ParsingOptions(keyGrammar: .level2)
        for key in ["1a", "t@" + String(repeating: "v", count: 15), String(repeating: "t", count: 242) + "@v", "a@b@c"] {
            #expect(throws: Never.self) { try TraceState(parsing: key + "=1", options: level2) }
        }
        #expect(throws: TraceStateError.invalidKey(offset: 0)) {
            try TraceState(parsing: String(repeating: "z", count: 257) + "=1", options: level2)
        }
    }

    @Test(arguments: [
        ("a", TraceStateError.missingEquals(offset: 0)),
        ("a=1,b", .missingEquals(offset: 4)),
        ("a=", .invalidValue(offset: 2)),
        ("a=1=2", .invalidValue(offset: 2)),
        ("a=x\ty", .invalidValue(offset: 2)),
        ("a=é", .invalidValue(offset: 2)),
        ("=1", .invalidKey(offset: 0)),
        ("a=1,a=2", .duplicateKey(offset: 4)),
    ])
    func rejectsWithReason(value: String, reason: TraceStateError) {
        #expect(throws: reason) { try TraceState(parsing: value) }
    }

    @Test func valueLengthLimit() throws {
        #expect(throws: Never.self) { try TraceState(parsing: "a=" + String(repeating: "v", count: 256)) }
        #expect(throws: TraceStateError.invalidValue(offset: 2)) {
            try TraceState(parsing: "a=" + String(repeating: "v", count: 257))
        }
    }

    @Test func memberLimit() throws {
        let members = (1...33).map { "k\($0)=\($0)" }
        #expect(try TraceState(parsing: members.prefix(32).joined(separator: ",")).count == 32)
        #expect(throws: TraceStateError.tooManyMembers) { try TraceState(parsing: members.joined(separator: ",")) }
    }

    @Test func duplicatesKeepTheFirstWhenAsked() throws {
        let state = try TraceState(parsing: "a=1,b=2,a=3", options: .init(duplicateKeys: .keepFirst))
        #expect(state.headerValue == "a=1,b=2")
    }

    @Test func settingMovesToTheFrontAndRemovingKeepsOrder() throws {
        var state = try TraceState(parsing: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,other=x")
        try state.setValue("new", forKey: "rojo")
        #expect(state.headerValue == "rojo=new,congo=t61rcWkgMzE,other=x")
        try state.setValue("1", forKey: "fresh")
        #expect(state.headerValue == "fresh=1,rojo=new,congo=t61rcWkgMzE,other=x")
        #expect(state.removeValue(forKey: "congo") == "t61rcWkgMzE")
        #expect(state.headerValue == "fresh=1,rojo=new,other=x")
        #expect(state.removeValue(forKey: "congo") == nil)
        #expect(throws: TraceStateError.invalidKey(offset: 0)) { try state.setValue("1", forKey: "Bad") }
        #expect(throws: TraceStateError.invalidValue(offset: 0)) { try state.setValue("a,b", forKey: "good") }
    }

    @Test func addingA33rdMemberDropsTheLast() throws {
        var state = try TraceState(parsing: (1...32).map { "k\($0)=\($0)" }.joined(separator: ","))
        try state.setValue("new", forKey: "fresh")
        #expect(state.count == 32)
        #expect(state.first?.key == "fresh")
        #expect(state.value(forKey: "k32") == nil)
        #expect(state.value(forKey: "k31") == "31")
    }

    @Test func truncationDropsLongMembersFirstThenFromTheEnd() throws {
        let long = "long=" + String(repeating: "x", count: 200)
        let state = try TraceState(parsing: "a=1,\(long),b=2,c=3")
        #expect(state.truncated(toLength: 11).headerValue == "a=1,b=2,c=3")
        #expect(state.truncated(toLength: 8).headerValue == "a=1,b=2")
        #expect(state.truncated() == state)
        #expect(state.truncated(toLength: 1000) == state)
    }

    @Test(arguments: [0, -1, Int.min])
    func truncationToNoLengthGivesTheEmptyList(length: Int) throws {
        let state = try TraceState(parsing: "a=1,b=2")
        #expect(state.truncated(toLength: length).isEmpty)
    }
}
