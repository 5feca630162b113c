import Foundation

/// Text made safe for HTML element content and attribute values.
func esc(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// A whole page: phone-width, high-contrast, readable without any script.
func page(title: String, body: String, refreshSeconds: Int? = nil) -> String {
    """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    \(refreshSeconds.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")
    <title>\(esc(title))</title>
    <style>
    body { font: 17px/1.45 system-ui, sans-serif; color: #111; background: #fff; margin: 0 auto; max-width: 40rem; padding: 1rem; }
    body.wide { max-width: none; }
    h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; } dt { font-weight: 600; }
    button { font: inherit; padding: .6rem 1rem; border: 2px solid #0b3d91; background: #0b3d91; color: #fff; border-radius: .3rem; }
    button.plain { background: #fff; color: #0b3d91; }
    button:focus, select:focus, a:focus { outline: 3px solid #e8a300; outline-offset: 2px; }
    select, textarea { font: inherit; padding: .4rem; }
    form { margin: .6rem 0; } label { display: block; font-weight: 600; margin: .4rem 0 .2rem; }
    .note { background: #eef4ff; border-left: 4px solid #0b3d91; padding: .5rem .8rem; }
    .error { background: #fff0f0; border-left: 4px solid #b00020; padding: .5rem .8rem; }
    table { border-collapse: collapse; } td, th { padding: .2rem .5rem; border-bottom: 1px solid #ccc; text-align: left; }
    </style></head>
    <body\(title.hasPrefix("Day") ? " class=\"wide\"" : "")>
    \(body)
    </body></html>
    """
}

/// `a=1&b=x+y` (an HTML form's body) → ["a": "1", "b": "x y"]; the last of a repeated key wins.
func formFields(_ body: String) -> [String: String] {
    var out: [String: String] = [:]
    for pair in body.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
        guard let key = parts.first.map(decode), !key.isEmpty else { continue }
        out[key] = parts.count > 1 ? decode(parts[1]) : ""
    }
    return out
}
