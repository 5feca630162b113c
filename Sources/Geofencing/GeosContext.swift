import CGEOS

/// One GEOS reentrant context. GEOS contexts are not thread-safe: use one per thread (a
/// ``FenceSet`` owns its own), never share one across threads.
final class GeosContext {
    let handle: GEOSContextHandle_t

    init() throws(FenceError) {
        guard let handle = GEOS_init_r() else { throw .geosUnavailable }
        self.handle = handle
    }

    deinit { GEOS_finish_r(handle) }

    /// The last message GEOS reported through its notice handler is not captured; validity reasons come
    /// from `GEOSisValidReason_r` instead.
    func readWKT(_ wkt: String) -> OpaquePointer? {
        guard let reader = GEOSWKTReader_create_r(handle) else { return nil }
        defer { GEOSWKTReader_destroy_r(handle, reader) }
        return GEOSWKTReader_read_r(handle, reader, wkt)
    }

    func writeWKT(_ geometry: OpaquePointer) -> String? {
        guard let writer = GEOSWKTWriter_create_r(handle) else { return nil }
        defer { GEOSWKTWriter_destroy_r(handle, writer) }
        GEOSWKTWriter_setTrim_r(handle, writer, 1)
        guard let raw = GEOSWKTWriter_write_r(handle, writer, geometry) else { return nil }
        defer { GEOSFree_r(handle, raw) }
        return String(cString: raw)
    }

    func typeName(_ geometry: OpaquePointer) -> String {
        guard let raw = GEOSGeomType_r(handle, geometry) else { return "unknown" }
        defer { GEOSFree_r(handle, raw) }
        return String(cString: raw)
    }

    func validityReason(_ geometry: OpaquePointer) -> String? {
        if GEOSisValid_r(handle, geometry) == 1 { return nil }
        guard let raw = GEOSisValidReason_r(handle, geometry) else { return "invalid" }
        defer { GEOSFree_r(handle, raw) }
        return String(cString: raw)
    }
}
