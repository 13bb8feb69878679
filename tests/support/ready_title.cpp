#include "tests/support/ready_title.h"

#include "core/store/store.h"

namespace frameline::test {

int64_t add_ready_title(Store& store, const std::string& name, int shots) {
    NewTitle t;
    t.name = name;
    t.media_path = "/media/" + name + ".mp4";
    t.content_hash = "hash-" + name;
    t.fps = 25;
    const int64_t id = store.create_title(t);
    TitleAnalysis a;
    a.frame_count = shots * 50;
    a.duration_s = shots * 2.0;
    a.fps = 25;
    for (int i = 0; i < shots; ++i) {
        Shot s;
        s.index = i;
        s.start_frame = i * 50;
        s.end_frame = (i + 1) * 50;
        s.start_s = i * 2.0;
        s.end_s = (i + 1) * 2.0;
        a.shots.push_back(s);
        TitleAnalysis::Frame f;
        f.record.shot_index = i;
        f.record.frame_index = i * 50 + 25;
        f.record.pts_s = f.record.frame_index / 25.0;
        f.record.width = 32;
        f.record.height = 18;
        f.jpeg = {0xFF, 0xD8, uint8_t(i), 0xFF, 0xD9};
        a.frames.push_back(f);
    }
    store.save_analysis(id, a);
    return id;
}

}  // namespace frameline::test
