// Model runs and their outputs, written once for both backends over sql::Connection.
#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/store/sql.h"
#include "core/store/store.h"

namespace frameline {

using sql::Value;
using sql::value;

namespace {

std::vector<uint8_t> vector_blob(const std::vector<float>& v) {
    std::vector<uint8_t> out(v.size() * sizeof(float));
    if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
    return out;
}

std::vector<float> blob_vector(const std::vector<uint8_t>& b) {
    std::vector<float> out(b.size() / sizeof(float));
    if (!out.empty()) std::memcpy(out.data(), b.data(), out.size() * sizeof(float));
    return out;
}

// The columns every proposal table has, in this order, after the table's own ones.
constexpr const char* kProposalColumns = "run_id, source, status, version, confidence, evidence";
constexpr size_t kProposalColumnCount = 6;

// A segment's words as stored: JSON [["word", start_s, end_s, confidence], ...] (compact; read with the segment).
std::string words_json(const std::vector<TranscriptWord>& words) {
    nlohmann::json out = nlohmann::json::array();
    for (const TranscriptWord& w : words) out.push_back({w.word, w.start_s, w.end_s, w.confidence});
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<TranscriptWord> words_from_json(const std::string& text) {
    std::vector<TranscriptWord> out;
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_array()) return out;  // damaged: the segment's text still reads
    for (const auto& w : j) {
        if (!w.is_array() || w.size() < 4 || !w[0].is_string() || !w[1].is_number() || !w[2].is_number() ||
            !w[3].is_number())
            continue;
        out.push_back(TranscriptWord{w[0].get<std::string>(), w[1].get<double>(), w[2].get<double>(),
                                     w[3].get<double>()});
    }
    return out;
}

void read_proposal(const sql::Rows& r, size_t i, size_t first, Proposal& p) {
    p.run_id = r.int64(i, first);
    p.source = r.text(i, first + 1);
    p.state = review_state_from_string(r.text(i, first + 2));
    p.version = r.int64(i, first + 3);
    p.confidence = r.real(i, first + 4);
    p.evidence = r.text(i, first + 5);
}

void bad_row(const ModelRunOutput& out, const std::string& what) {
    throw Error("model run '" + out.model + "': " + what + " — nothing was saved; fix the model's output");
}

void validate(const ModelRunOutput& out) {
    if (out.model.empty()) throw Error("a model run needs a model name — nothing was saved");
    for (size_t i = 0; i < out.embeddings.size(); ++i) {
        const Embedding& e = out.embeddings[i];
        if (e.vector.empty()) bad_row(out, "embedding " + std::to_string(i) + " is empty");
        if (e.entity != "frame" && e.entity != "shot" && e.entity != "title" && e.entity != "face")
            bad_row(out, "embedding " + std::to_string(i) + " is for '" + e.entity + "', not frame, shot, title or face");
    }
    for (size_t i = 0; i < out.faces.size(); ++i)
        if (!(out.faces[i].width > 0 && out.faces[i].height > 0))
            bad_row(out, "face " + std::to_string(i) + " has an empty box");
    for (size_t i = 0; i < out.detections.size(); ++i)
        if (out.detections[i].label.empty() || !(out.detections[i].width > 0 && out.detections[i].height > 0))
            bad_row(out, "detection " + std::to_string(i) + " has no label or an empty box");
    for (size_t i = 0; i < out.audio_segments.size(); ++i)
        if (out.audio_segments[i].kind.empty() || out.audio_segments[i].end_s < out.audio_segments[i].start_s)
            bad_row(out, "audio segment " + std::to_string(i) + " has no kind or ends before it starts");
    for (size_t i = 0; i < out.transcript.size(); ++i) {
        const TranscriptSegment& t = out.transcript[i];
        if (t.source != "speech" && t.source != "subtitle" && t.source != "sidecar")
            bad_row(out, "transcript segment " + std::to_string(i) + " has the source '" + t.source +
                             "', not speech, subtitle or sidecar");
        if (!(t.end_s >= t.start_s)) bad_row(out, "transcript segment " + std::to_string(i) + " ends before it starts");
        for (const TranscriptWord& w : t.words)
            if (w.word.empty() || !(w.end_s >= w.start_s))
                bad_row(out, "transcript segment " + std::to_string(i) + " has an empty word or one that ends " +
                                 "before it starts");
    }
    for (size_t i = 0; i < out.screen_text.size(); ++i)
        if (out.screen_text[i].text.empty() || !(out.screen_text[i].width > 0 && out.screen_text[i].height > 0))
            bad_row(out, "on-screen text " + std::to_string(i) + " has no text or an empty box");
    for (size_t i = 0; i < out.tags.size(); ++i)
        if (out.tags[i].category.empty() || out.tags[i].label.empty())
            bad_row(out, "tag " + std::to_string(i) + " has no category or label");
    for (size_t i = 0; i < out.chapters.size(); ++i)
        if (out.chapters[i].start_frame < 0 || out.chapters[i].end_frame < out.chapters[i].start_frame)
            bad_row(out, "chapter " + std::to_string(i) + " has the empty range " +
                             std::to_string(out.chapters[i].start_frame) + "-" +
                             std::to_string(out.chapters[i].end_frame));
}

}  // namespace

int64_t Store::save_model_run(int64_t title_id, const ModelRunOutput& out) {
    validate(out);
    sql::Connection& db = sql();
    sql::Transaction tx(db);
    if (db.query("SELECT id FROM titles WHERE id = ?1", {value(title_id)}).empty())
        throw Error("database '" + db.where() + "': no title " + std::to_string(title_id) +
                    " — list them with 'frameline-cli titles'");
    const std::vector<Value> title_model = {value(title_id), value(out.model)};
    const std::string earlier_runs = "(SELECT id FROM model_runs WHERE title_id = ?1 AND model = ?2)";
    db.exec("UPDATE model_runs SET status = 'superseded' WHERE title_id = ?1 AND model = ?2", title_model);
    // Evidence of the earlier runs goes; so do their proposals that nobody has reviewed.
    db.exec("DELETE FROM embeddings WHERE title_id = ?1 AND run_id IN " + earlier_runs, title_model);
    for (const char* table :
         {"faces", "detections", "frame_scores", "audio_segments", "transcript_segments", "screen_text"})
        db.exec(std::string("DELETE FROM ") + table + " WHERE title_id = ?1 AND run_id IN " + earlier_runs,
                title_model);
    for (const char* table : {"tags", "chapters", "artwork_candidates", "characters"})
        db.exec(std::string("DELETE FROM ") + table + " WHERE title_id = ?1 AND source = 'model' AND " +
                    "status = 'proposed' AND run_id IN " + earlier_runs,
                title_model);
    const int64_t run = db.insert("INSERT INTO model_runs (title_id, model, model_version, host, detail) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5)",
                                  {value(title_id), value(out.model), value(out.model_version), value(out.host),
                                   value(out.detail)});

    std::vector<std::vector<Value>> rows;
    for (const Embedding& e : out.embeddings)
        rows.push_back({value(title_id), value(run), value(e.model.empty() ? out.model : e.model), value(e.entity),
                        value(e.entity_key), value(int64_t(e.vector.size())), value(vector_blob(e.vector))});
    db.insert_many("INSERT INTO embeddings (title_id, run_id, model, entity, entity_key, dims, vector)", 7, rows);

    rows.clear();
    for (const Face& f : out.faces)
        rows.push_back({value(title_id), value(run), value(f.frame_index), value(f.x), value(f.y), value(f.width),
                        value(f.height), value(f.score), value(f.landmarks), value(f.expression),
                        value(f.expression_score), value(f.age), value(f.gender), value(f.gender_score),
                        f.identity.empty() ? Value(sql::Null{}) : value(vector_blob(f.identity))});
    db.insert_many("INSERT INTO faces (title_id, run_id, frame_index, x, y, width, height, score, landmarks, "
                   "expression, expression_score, age, gender, gender_score, identity)",
                   15, rows);

    rows.clear();
    for (const Detection& d : out.detections)
        rows.push_back({value(title_id), value(run), value(d.frame_index), value(d.label), value(d.score), value(d.x),
                        value(d.y), value(d.width), value(d.height)});
    db.insert_many("INSERT INTO detections (title_id, run_id, frame_index, label, score, x, y, width, height)", 9,
                   rows);
    rows.clear();
    for (const FrameScores& f : out.frame_scores)
        rows.push_back({value(title_id), value(run), value(f.frame_index), value(f.model.empty() ? out.model : f.model),
                        value(f.scores)});
    db.insert_many("INSERT INTO frame_scores (title_id, run_id, frame_index, model, scores)", 5, rows);
    rows.clear();
    for (const AudioSegment& a : out.audio_segments)
        rows.push_back({value(title_id), value(run), value(a.kind), value(a.start_s), value(a.end_s),
                        value(a.confidence), value(a.bpm)});
    db.insert_many("INSERT INTO audio_segments (title_id, run_id, kind, start_s, end_s, confidence, bpm)", 7, rows);
    rows.clear();
    for (const TranscriptSegment& t : out.transcript)
        rows.push_back({value(title_id), value(run), value(t.source), value(t.language.empty() ? "und" : t.language),
                        value(t.start_s), value(t.end_s), value(t.text), value(words_json(t.words))});
    db.insert_many("INSERT INTO transcript_segments (title_id, run_id, source, language, start_s, end_s, text, words)",
                   8, rows);
    rows.clear();
    for (const ScreenText& st : out.screen_text)
        rows.push_back({value(title_id), value(run), value(st.frame_index), value(st.x), value(st.y), value(st.width),
                        value(st.height), value(st.text), value(st.confidence)});
    db.insert_many("INSERT INTO screen_text (title_id, run_id, frame_index, x, y, width, height, text, confidence)", 9,
                   rows);

    // People's decisions stand: a proposal they already decided is not proposed again.
    std::set<std::tuple<int, std::string, std::string>> decided_tags;
    auto t = db.query("SELECT COALESCE(shot_index, -1), category, label FROM tags WHERE title_id = ?1 AND "
                      "status <> 'proposed'",
                      {value(title_id)});
    for (size_t i = 0; i < t.size(); ++i) decided_tags.emplace(t.integer(i, 0), t.text(i, 1), t.text(i, 2));
    rows.clear();
    for (const Tag& g : out.tags) {
        if (decided_tags.count({g.shot_index, g.category, g.label})) continue;
        rows.push_back({value(title_id), value(run), g.shot_index >= 0 ? value(g.shot_index) : Value(sql::Null{}),
                        value(g.category), value(g.label), value(g.confidence), value(g.evidence)});
    }
    db.insert_many("INSERT INTO tags (title_id, run_id, shot_index, category, label, confidence, evidence)", 7, rows);

    auto c = db.query("SELECT kind, start_frame, end_frame FROM chapters WHERE title_id = ?1 AND status <> 'proposed'",
                      {value(title_id)});
    rows.clear();
    for (const Chapter& ch : out.chapters) {
        // Covered: most of the new range lies inside a decided range of the same kind.
        bool covered = false;
        for (size_t i = 0; i < c.size() && !covered; ++i) {
            const int64_t overlap = std::min(ch.end_frame, c.int64(i, 2)) - std::max(ch.start_frame, c.int64(i, 1)) + 1;
            covered = c.text(i, 0) == to_string(ch.kind) && 2 * overlap > ch.end_frame - ch.start_frame + 1;
        }
        if (covered) continue;
        rows.push_back({value(title_id), value(run), value(to_string(ch.kind)), value(ch.start_frame),
                        value(ch.end_frame), value(ch.start_s), value(ch.end_s), value(ch.label),
                        value(ch.confidence), value(ch.evidence)});
    }
    db.insert_many("INSERT INTO chapters (title_id, run_id, kind, start_frame, end_frame, start_s, end_s, label, "
                   "confidence, evidence)",
                   10, rows);

    std::set<int64_t> decided_frames;
    auto a = db.query("SELECT frame_index FROM artwork_candidates WHERE title_id = ?1 AND status <> 'proposed'",
                      {value(title_id)});
    for (size_t i = 0; i < a.size(); ++i) decided_frames.insert(a.int64(i, 0));
    rows.clear();
    for (const ArtworkCandidate& w : out.artwork) {
        if (decided_frames.count(w.frame_index)) continue;
        rows.push_back({value(title_id), value(run), value(w.frame_index), value(w.score), value(w.breakdown),
                        value(w.crops), value(w.confidence), value(w.evidence)});
    }
    db.insert_many("INSERT INTO artwork_candidates (title_id, run_id, frame_index, score, breakdown, crops, "
                   "confidence, evidence)",
                   8, rows);

    for (const Character& ch : out.characters) {
        const int64_t id = db.insert("INSERT INTO characters (title_id, run_id, name, screen_time_s, best_face_id, "
                                     "confidence, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                     {value(title_id), value(run), value(ch.name), value(ch.screen_time_s),
                                      value(ch.best_face_id), value(ch.confidence), value(ch.evidence)});
        // A face a person already placed in a character stays there.
        int64_t members = 0;
        for (int64_t face : ch.face_ids)
            members += db.query("UPDATE faces SET character_id = ?1 WHERE id = ?2 AND title_id = ?3 AND "
                                "(character_id IS NULL OR character_id NOT IN (SELECT id FROM characters WHERE "
                                "title_id = ?3 AND status <> 'proposed')) RETURNING id",
                                {value(id), value(face), value(title_id)})
                           .size();
        if (members == 0 && !ch.face_ids.empty()) db.exec("DELETE FROM characters WHERE id = ?1", {value(id)});
    }
    db.announce_change();
    tx.commit();
    return run;
}

std::vector<ModelRun> Store::model_runs(int64_t title_id) {
    auto r = sql().query("SELECT id, title_id, model, model_version, status, created_at, host, detail FROM model_runs "
                         "WHERE title_id = ?1 ORDER BY id",
                         {value(title_id)});
    std::vector<ModelRun> out;
    for (size_t i = 0; i < r.size(); ++i)
        out.push_back(ModelRun{r.int64(i, 0), r.int64(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5),
                               r.text(i, 6), r.text(i, 7)});
    return out;
}

std::vector<Embedding> Store::embeddings(int64_t title_id, const std::string& model, const std::string& entity) {
    auto r = sql().query("SELECT id, run_id, model, entity, entity_key, vector FROM embeddings WHERE title_id = ?1 "
                         "AND (?2 = '' OR model = ?2) AND (?3 = '' OR entity = ?3) ORDER BY model, entity, entity_key",
                         {value(title_id), value(model), value(entity)});
    std::vector<Embedding> out;
    for (size_t i = 0; i < r.size(); ++i)
        out.push_back(Embedding{r.int64(i, 0), r.int64(i, 1), r.text(i, 2), r.text(i, 3), r.int64(i, 4),
                                blob_vector(r.blob(i, 5))});
    return out;
}

namespace {

// The face columns faces() and faces_by_id() read, in this order; `identity` only when asked for (a gallery never
// shows the 192-d vector, and a page of a few hundred faces then costs kilobytes instead of hundreds of them).
std::string face_columns(bool identity) {
    return std::string("id, title_id, run_id, frame_index, x, y, width, height, score, landmarks, expression, "
                       "expression_score, age, gender, gender_score, COALESCE(character_id, 0)") +
           (identity ? ", identity" : "");
}

Face read_face(const sql::Rows& r, size_t i, bool identity) {
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
    if (identity) f.identity = blob_vector(r.blob(i, 16));
    return f;
}

}  // namespace

std::vector<Face> Store::faces(int64_t title_id) {
    auto r = sql().query("SELECT " + face_columns(true) + " FROM faces WHERE title_id = ?1 ORDER BY frame_index, id",
                         {value(title_id)});
    std::vector<Face> out;
    for (size_t i = 0; i < r.size(); ++i) out.push_back(read_face(r, i, true));
    return out;
}

std::vector<Face> Store::faces_by_id(const std::vector<int64_t>& face_ids) {
    if (face_ids.empty()) return {};
    std::string in;
    std::vector<Value> params;
    for (int64_t id : face_ids) {
        params.push_back(value(id));
        in += (in.empty() ? "?" : ", ?") + std::to_string(params.size());
    }
    auto r = sql().query("SELECT " + face_columns(false) + " FROM faces WHERE id IN (" + in + ")", params);
    std::map<int64_t, Face> by_id;
    for (size_t i = 0; i < r.size(); ++i) {
        Face f = read_face(r, i, false);
        by_id[f.id] = std::move(f);
    }
    std::vector<Face> out;
    out.reserve(face_ids.size());
    for (int64_t id : face_ids)
        if (auto it = by_id.find(id); it != by_id.end()) out.push_back(it->second);  // a face deleted meanwhile: gone
    return out;
}

std::vector<Detection> Store::detections(int64_t title_id) {
    auto r = sql().query("SELECT id, run_id, frame_index, label, score, x, y, width, height FROM detections "
                         "WHERE title_id = ?1 ORDER BY frame_index, score DESC, id",
                         {value(title_id)});
    std::vector<Detection> out;
    for (size_t i = 0; i < r.size(); ++i)
        out.push_back(Detection{r.int64(i, 0), r.int64(i, 1), r.int64(i, 2), r.text(i, 3), r.real(i, 4), r.real(i, 5),
                                r.real(i, 6), r.real(i, 7), r.real(i, 8)});
    return out;
}

std::vector<FrameScores> Store::frame_scores(int64_t title_id, const std::string& model) {
    auto r = sql().query("SELECT id, run_id, frame_index, model, scores FROM frame_scores WHERE title_id = ?1 AND "
                         "(?2 = '' OR model = ?2) ORDER BY model, frame_index",
                         {value(title_id), value(model)});
    std::vector<FrameScores> out;
    for (size_t i = 0; i < r.size(); ++i)
        out.push_back(FrameScores{r.int64(i, 0), r.int64(i, 1), r.int64(i, 2), r.text(i, 3), r.text(i, 4)});
    return out;
}

std::vector<AudioSegment> Store::audio_segments(int64_t title_id, const std::string& kind) {
    auto r = sql().query("SELECT id, run_id, kind, start_s, end_s, confidence, bpm FROM audio_segments WHERE "
                         "title_id = ?1 AND (?2 = '' OR kind = ?2) ORDER BY start_s, id",
                         {value(title_id), value(kind)});
    std::vector<AudioSegment> out;
    for (size_t i = 0; i < r.size(); ++i)
        out.push_back(AudioSegment{r.int64(i, 0), r.int64(i, 1), r.text(i, 2), r.real(i, 3), r.real(i, 4),
                                   r.real(i, 5), r.real(i, 6)});
    return out;
}

// Rows of earlier runs go when a run is saved; the run filter also keeps out anything a run that was superseded
// in some other way left behind.
std::vector<TranscriptSegment> Store::transcript(int64_t title_id) {
    auto r = sql().query("SELECT id, run_id, source, language, start_s, end_s, text, words FROM transcript_segments "
                         "WHERE title_id = ?1 AND run_id IN (SELECT id FROM model_runs WHERE title_id = ?1 AND "
                         "status = 'done') ORDER BY start_s, end_s, id",
                         {value(title_id)});
    std::vector<TranscriptSegment> out;
    out.reserve(r.size());
    for (size_t i = 0; i < r.size(); ++i)
        out.push_back(TranscriptSegment{r.int64(i, 0), r.int64(i, 1), r.text(i, 2), r.text(i, 3), r.real(i, 4),
                                        r.real(i, 5), r.text(i, 6), words_from_json(r.text(i, 7))});
    return out;
}

std::vector<ScreenText> Store::screen_text(int64_t title_id) {
    auto r = sql().query("SELECT id, run_id, frame_index, x, y, width, height, text, confidence FROM screen_text "
                         "WHERE title_id = ?1 AND run_id IN (SELECT id FROM model_runs WHERE title_id = ?1 AND "
                         "status = 'done') ORDER BY frame_index, y, x, id",
                         {value(title_id)});
    std::vector<ScreenText> out;
    out.reserve(r.size());
    for (size_t i = 0; i < r.size(); ++i)
        out.push_back(ScreenText{r.int64(i, 0), r.int64(i, 1), r.int64(i, 2), r.real(i, 3), r.real(i, 4),
                                 r.real(i, 5), r.real(i, 6), r.text(i, 7), r.real(i, 8)});
    return out;
}

std::vector<Tag> Store::tags(int64_t title_id) {
    auto r = sql().query(std::string("SELECT id, title_id, COALESCE(shot_index, -1), category, label, ") +
                             kProposalColumns + " FROM tags WHERE title_id = ?1 ORDER BY COALESCE(shot_index, -1), "
                             "category, confidence DESC, id",
                         {value(title_id)});
    std::vector<Tag> out;
    for (size_t i = 0; i < r.size(); ++i) {
        Tag t;
        t.id = r.int64(i, 0);
        t.title_id = r.int64(i, 1);
        t.shot_index = r.integer(i, 2);
        t.category = r.text(i, 3);
        t.label = r.text(i, 4);
        read_proposal(r, i, 5, t);
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<Character> Store::characters(int64_t title_id) {
    sql::Connection& db = sql();
    auto r = db.query(std::string("SELECT id, title_id, name, screen_time_s, best_face_id, ") + kProposalColumns +
                          " FROM characters WHERE title_id = ?1 ORDER BY screen_time_s DESC, id",
                      {value(title_id)});
    auto f = db.query("SELECT character_id, id FROM faces WHERE title_id = ?1 AND character_id IS NOT NULL "
                      "ORDER BY frame_index, id",
                      {value(title_id)});
    std::map<int64_t, std::vector<int64_t>> members;
    for (size_t i = 0; i < f.size(); ++i) members[f.int64(i, 0)].push_back(f.int64(i, 1));
    std::vector<Character> out;
    for (size_t i = 0; i < r.size(); ++i) {
        Character c;
        c.id = r.int64(i, 0);
        c.title_id = r.int64(i, 1);
        c.name = r.text(i, 2);
        c.screen_time_s = r.real(i, 3);
        c.best_face_id = r.int64(i, 4);
        read_proposal(r, i, 5, c);
        c.face_ids = members[c.id];
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<Chapter> Store::chapters(int64_t title_id) {
    auto r = sql().query(std::string("SELECT id, title_id, kind, start_frame, end_frame, start_s, end_s, label, ") +
                             kProposalColumns + " FROM chapters WHERE title_id = ?1 ORDER BY kind, start_frame, id",
                         {value(title_id)});
    std::vector<Chapter> out;
    for (size_t i = 0; i < r.size(); ++i) {
        Chapter c;
        c.id = r.int64(i, 0);
        c.title_id = r.int64(i, 1);
        c.kind = chapter_kind_from_string(r.text(i, 2));
        c.start_frame = r.int64(i, 3);
        c.end_frame = r.int64(i, 4);
        c.start_s = r.real(i, 5);
        c.end_s = r.real(i, 6);
        c.label = r.text(i, 7);
        read_proposal(r, i, 8, c);
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<ArtworkCandidate> Store::artwork_candidates(int64_t title_id) {
    // People's order first (rank 1, 2, ...), then the rest by score.
    auto r = sql().query(std::string("SELECT id, title_id, frame_index, score, breakdown, crops, ") + kProposalColumns +
                             ", rank FROM artwork_candidates WHERE title_id = ?1 "
                             "ORDER BY CASE WHEN rank > 0 THEN 0 ELSE 1 END, rank, score DESC, id",
                         {value(title_id)});
    std::vector<ArtworkCandidate> out;
    for (size_t i = 0; i < r.size(); ++i) {
        ArtworkCandidate a;
        a.id = r.int64(i, 0);
        a.title_id = r.int64(i, 1);
        a.frame_index = r.int64(i, 2);
        a.score = r.real(i, 3);
        a.breakdown = r.text(i, 4);
        a.crops = r.text(i, 5);
        read_proposal(r, i, 6, a);
        a.rank = int(r.int64(i, 6 + kProposalColumnCount));
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace frameline
