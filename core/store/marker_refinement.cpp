// Store::replace_proposed_markers(): a later step (the OCR pass) refines the scan's cues. Written once for both
// backends over sql::Connection.
#include <algorithm>

#include "core/store/marker_review.h"
#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using sql::value;

void Store::replace_proposed_markers(int64_t title_id, const std::vector<CueKind>& kinds,
                                     const std::vector<Marker>& markers, const std::string& source) {
    if (kinds.empty()) return;
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    std::string in;
    std::vector<sql::Value> params = {value(title_id)};
    for (CueKind k : kinds) {
        params.push_back(value(to_string(k)));
        in += (in.empty() ? "?" : ", ?") + std::to_string(params.size());
    }
    db.exec("DELETE FROM markers WHERE title_id = ?1 AND status = 'proposed' AND source IN ('sampling', 'ocr') AND "
            "kind IN (" + in + ")",
            params);
    std::vector<MarkerRecord> decided;
    auto r = db.query("SELECT id, kind, start_frame, end_frame, status FROM markers WHERE title_id = ?1 AND "
                      "status <> 'proposed'",
                      {value(title_id)});
    for (size_t i = 0; i < r.size(); ++i) {
        const auto kind = cue_kind_from_string(r.text(i, 1).c_str());
        if (!kind) continue;
        MarkerRecord m;
        m.id = r.int64(i, 0);
        m.marker.kind = *kind;
        m.marker.start_frame = r.int64(i, 2);
        m.marker.end_frame = r.int64(i, 3);
        m.state = review_state_from_string(r.text(i, 4));
        decided.push_back(m);
    }
    std::vector<std::vector<sql::Value>> rows;
    for (const Marker& m : markers) {
        if (std::find(kinds.begin(), kinds.end(), m.kind) == kinds.end()) continue;  // only the kinds replaced
        if (m.end_frame < m.start_frame || covered_by_decision(m, decided)) continue;
        rows.push_back({value(title_id), value(to_string(m.kind)), value(m.start_frame), value(m.end_frame),
                        value(m.start_s), value(m.end_s), value(m.confidence), value(source)});
    }
    db.insert_many("INSERT INTO markers (title_id, kind, start_frame, end_frame, start_s, end_s, confidence, source)", 8,
                   rows);
    db.announce_change();
    tx.commit();
}

}  // namespace frameline
