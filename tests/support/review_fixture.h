#pragma once
// A title to review, for the UI tests: a generated clip of four hard cuts (4 x 25 frames at 25 fps, 320x240)
// ingested for real (shots, sampled frames, thumbnails), plus one set of proposals of every kind saved through
// Store::save_model_run like the model zoo and the analysis save theirs. The proposals are written by code so that
// the tests know them exactly; the models themselves are tested elsewhere (tst_models, tst_tags, ...).
#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

namespace frameline {
class Store;
}

namespace frameline::test {

struct ReviewFixture {
    QString clip_path;
    QString db_path;  // an SQLite file
    std::shared_ptr<Store> store;
    int64_t title_id = 0;
    std::vector<int64_t> frame_indices;  // the sampled frames, in order
    // Proposals saved, in the order listed in review_fixture.cpp (ids as stored).
    std::vector<int64_t> tag_ids;        // 6: car 0.91 (shot 0), dog 0.55 (shot 1), tense 0.42 (title),
                                         //    happy 0.73 (shot 2), warm 0.66 (title), close-up 0.35 (shot 3)
    std::vector<int64_t> character_ids;  // 2: the first with 4 faces, the second with 2
    std::vector<int64_t> face_ids;       // 6
    std::vector<int64_t> chapter_ids;    // 3: chapter 0-49 "Opening", chapter 50-99 "Ending", key scene 25-49
    std::vector<int64_t> artwork_ids;    // 3, scores 0.82, 0.64, 0.51
};

// Builds it under `dir`; returns an empty string on success, else what went wrong.
QString make_review_fixture(const QString& dir, ReviewFixture* out);

}  // namespace frameline::test
