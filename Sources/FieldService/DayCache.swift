import FieldRoute
import FieldStore

/// The days the dispatcher's page and `GET /api/day` show, kept in memory until the store changes:
/// any commit, by this server or another process (the CLI, the nightly plan), moves the store's
/// `data_version` and the next request reads the day again.
final class DayCache: Sendable {
    private let watch: StoreChangeWatch
    private let views = KeptByVersion<DayView>()
    private let texts = KeptByVersion<String>()

    init(watch: StoreChangeWatch) { self.watch = watch }

    /// The day `date` as `load` reads it, from memory when nothing was committed since it was read.
    func view(_ date: String, load: () throws(FieldRouteError) -> DayView) throws(FieldRouteError) -> DayView {
        try views.value(date, at: try version(), load: load)
    }

    /// The day `date` as the CLI's JSON (`GET /api/day/DATE`), encoded once per store version.
    func json(_ date: String, load: () throws(FieldRouteError) -> DayView) throws(FieldRouteError) -> String {
        let version = try version()
        return try texts.value(date, at: version) { () throws(FieldRouteError) in
            try AnswerJSON.text(try views.value(date, at: version, load: load))
        }
    }

    private func version() throws(FieldRouteError) -> Int64 {
        do { return try watch.version() } catch { throw .store(error) }
    }
}
