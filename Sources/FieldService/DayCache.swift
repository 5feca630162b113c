import FieldRoute
import FieldStore
import Synchronization

/// The days the dispatcher's page and `GET /api/day` show, kept in memory until the store changes:
/// any commit, by this server or another process (the CLI, the nightly plan), moves the store's
/// `data_version` and the next request reads the day again.
final class DayCache: Sendable {
    private let watch: StoreChangeWatch
    private let views = Mutex<[String: (version: Int64, view: DayView)]>([:])
    private let texts = Mutex<[String: (version: Int64, text: String)]>([:])

    init(watch: StoreChangeWatch) { self.watch = watch }

    /// The day `date` as `load` reads it, from memory when nothing was committed since it was read.
    func view(_ date: String, load: () throws(FieldRouteError) -> DayView) throws(FieldRouteError) -> DayView {
        let version: Int64
        do { version = try watch.version() } catch { throw .store(error) }
        if let kept = views.withLock({ $0[date] }), kept.version == version { return kept.view }
        let view = try load()
        views.withLock { views in
            if views.count > 60 { views.removeAll() }  // a server shows a few days; never grow without bound
            views[date] = (version, view)
        }
        return view
    }

    /// The day `date` as the CLI's JSON (`GET /api/day/DATE`), encoded once per store version.
    func json(_ date: String, load: () throws(FieldRouteError) -> DayView) throws(FieldRouteError) -> String {
        let version: Int64
        do { version = try watch.version() } catch { throw .store(error) }
        if let kept = texts.withLock({ $0[date] }), kept.version == version { return kept.text }
        // Read at `version` or later: kept under `version`, the next change still reads it again.
        let text = try AnswerJSON.text(try view(date, load: load))
        texts.withLock { texts in
            if texts.count > 60 { texts.removeAll() }
            texts[date] = (version, text)
        }
        return text
    }
}
