// Store::embedding_set_state(): the size and identity of one embedding set, for the vector index's cache check
// (core/search/vector_index.cpp). Written once for both backends over sql::Connection.
//
// count and max(id) alone miss a re-run of the last title (SQLite reuses the freed row ids); the sum of run ids
// does not, since every model run gets a new id. It is one scan of the set's rows (no index covers model, entity
// and run_id); a covering index (model, entity, run_id) would make it an index-only scan if that ever matters.
#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using sql::value;

Store::EmbeddingSetState Store::embedding_set_state(const std::string& model, const std::string& entity) {
    const sql::Rows r = sql().query(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(MAX(id), 0) AS BIGINT), "
        "CAST(COALESCE(SUM(run_id), 0) AS BIGINT) FROM embeddings WHERE model = ?1 AND entity = ?2",
        {value(model), value(entity)});
    EmbeddingSetState state;
    if (r.size() == 1) {
        state.count = r.int64(0, 0);
        state.max_id = r.int64(0, 1);
        state.run_id_sum = r.int64(0, 2);
    }
    return state;
}

}  // namespace frameline
