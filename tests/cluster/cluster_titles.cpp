#include "tests/cluster/cluster_titles.h"

#include "core/store/store.h"

namespace frameline::test {

QString check_titles(Store& store, const std::vector<Clip>& clips) {
    const std::vector<TitleRecord> titles = store.titles();
    if (titles.size() != clips.size())
        return QString("%1 titles stored for %2 clips").arg(titles.size()).arg(clips.size());
    for (const Clip& c : clips) {
        int found = 0;
        for (const TitleRecord& t : titles) {
            if (QString::fromStdString(t.media_path) != c.path) continue;
            ++found;
            if (t.status != TitleStatus::Ready) return c.path + " is not ready";
            const size_t shots = store.shots(t.id).size();
            if (static_cast<int>(shots) != c.shots)
                return QString("%1: %2 shots stored, the clip has %3").arg(c.path).arg(shots).arg(c.shots);
        }
        if (found != 1) return QString("%1 stored %2 times").arg(c.path).arg(found);
    }
    return {};
}

}  // namespace frameline::test
