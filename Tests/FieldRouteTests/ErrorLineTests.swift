import FieldRoute
import Testing

@Suite struct ErrorLineTests {
    @Test func quotedValuesAreCutAndLinesJoined() {
        let long = String(repeating: "a", count: 250)
        let cut = FieldRouteError.oneLine("bad id '\(long)' in\nrow 3")
        #expect(cut == "bad id '\(String(repeating: "a", count: 199))…' (51 more characters) in row 3")
        #expect(FieldRouteError.oneLine(cut) == cut, "cutting twice changes nothing")
        #expect(FieldRouteError.oneLine("short 'ok' and 'fine'") == "short 'ok' and 'fine'")
        // An unclosed quote is cut the same way.
        #expect(FieldRouteError.oneLine("open '\(long)") == "open '\(String(repeating: "a", count: 199))… (51 more characters)")
        // Unquoted text is kept up to the line limit.
        let text = String(repeating: "b", count: 1_200)
        let line = FieldRouteError.oneLine(text)
        #expect(line.count == 1_000)
        #expect(line.hasSuffix("… (223 more characters)"))
        #expect(FieldRouteError.oneLine(line) == line)
    }
}
