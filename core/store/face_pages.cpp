// Store::faces_by_id(): a page of faces for a gallery, written once for both backends over sql::Connection.
#include <map>

#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using sql::Value;
using sql::value;

std::vector<Face> Store::faces_by_id(const std::vector<int64_t>& face_ids) {
    if (face_ids.empty()) return {};
    std::string in;
    std::vector<Value> params;
    for (int64_t id : face_ids) {
        params.push_back(value(id));
        in += (in.empty() ? "?" : ", ?") + std::to_string(params.size());
    }
    // The identity vector (192 floats a face) is left out: a gallery never shows it, and a page of a few hundred
    // faces then costs a few kilobytes instead of a few hundred.
    auto r = sql().query("SELECT id, title_id, run_id, frame_index, x, y, width, height, score, landmarks, expression, "
                         "expression_score, age, gender, gender_score, COALESCE(character_id, 0) FROM faces WHERE id IN (" +
                             in + ")",
                         params);
    std::map<int64_t, Face> by_id;
    for (size_t i = 0; i < r.size(); ++i) {
        Face f;
        f.id = r.int64(i, 0);
        f.title_id = r.int64(i, 1);
        f.run_id = r.int64(i, 2);
        f.frame_index = r.int64(i, 3);
        f.x = r.real(i, 4);
        f.y = r.real(i, 5);
        f.width = r.real(i, 6);
        f.height = r.real(i, 7);
        f.score = r.real(i, 8);
        f.landmarks = r.text(i, 9);
        f.expression = r.text(i, 10);
        f.expression_score = r.real(i, 11);
        f.age = r.real(i, 12);
        f.gender = r.text(i, 13);
        f.gender_score = r.real(i, 14);
        f.character_id = r.int64(i, 15);
        by_id[f.id] = std::move(f);
    }
    std::vector<Face> out;
    out.reserve(face_ids.size());
    for (int64_t id : face_ids)
        if (auto it = by_id.find(id); it != by_id.end()) out.push_back(it->second);  // a face deleted meanwhile: gone
    return out;
}

}  // namespace frameline
