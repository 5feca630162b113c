import CGEOS

/// Repairs an invalid polygon with GEOS `MakeValid` — only when a caller asks (`import fences
/// --repair`); by default an invalid polygon is refused with its reason.
public enum PolygonRepair {
    /// The WKT of `wkt` made valid, keeping only its polygonal part. Valid input comes back unchanged.
    /// - Throws: ``FenceError`` naming `fence` when the text is unreadable or nothing polygonal remains.
    public static func repaired(_ wkt: String, fence: String) throws(FenceError) -> String {
        let context = try GeosContext()
        let h = context.handle
        guard let geometry = context.readWKT(wkt) else { throw .unreadableWKT(fence: fence, reason: "GEOS could not parse it") }
        defer { GEOSGeom_destroy_r(h, geometry) }
        let type = context.typeName(geometry)
        guard type == "Polygon" || type == "MultiPolygon" else { throw .notAPolygon(fence: fence, type: type) }
        if context.validityReason(geometry) == nil { return wkt }
        guard let valid = GEOSMakeValid_r(h, geometry) else { throw .invalidPolygon(fence: fence, reason: "GEOS could not repair it") }
        defer { GEOSGeom_destroy_r(h, valid) }
        // MakeValid may return a collection with lines or points beside the polygons: keep the polygons.
        var polygons: [String] = []
        let isCollection = context.typeName(valid) == "GeometryCollection"
        for k in 0..<(isCollection ? Int(GEOSGetNumGeometries_r(h, valid)) : 1) {
            guard let part = isCollection ? GEOSGetGeometryN_r(h, valid, Int32(k)) : valid else { continue }
            let type = context.typeName(part)
            if type == "Polygon" || type == "MultiPolygon", let text = context.writeWKT(part) { polygons.append(text) }
        }
        guard !polygons.isEmpty else { throw .notAPolygon(fence: fence, type: context.typeName(valid)) }
        if polygons.count == 1 { return polygons[0] }
        // Several polygonal parts: union them into one (multi)polygon.
        let collection = "GEOMETRYCOLLECTION (" + polygons.joined(separator: ", ") + ")"
        guard let parsed = context.readWKT(collection) else { throw .unreadableWKT(fence: fence, reason: "repair produced unreadable parts") }
        defer { GEOSGeom_destroy_r(h, parsed) }
        guard let union = GEOSUnaryUnion_r(h, parsed) else { throw .invalidPolygon(fence: fence, reason: "GEOS could not merge the repaired parts") }
        defer { GEOSGeom_destroy_r(h, union) }
        guard let text = context.writeWKT(union) else { throw .invalidPolygon(fence: fence, reason: "GEOS could not write the repair") }
        return text
    }
}
