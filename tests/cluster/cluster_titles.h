#pragma once
// What the cluster tests (tst_worker, tst_slurm_ingest) ingest and check: short generated titles with known shot
// counts, and the check that each ended stored once, ready, with those shots.
#include <QString>
#include <vector>

namespace frameline {
class Store;
}

namespace frameline::test {

struct Clip {
    QString path;
    int shots = 0;
};

// Every clip stored once, ready, with the shots it has; empty when so, else what is wrong.
QString check_titles(Store& store, const std::vector<Clip>& clips);

}  // namespace frameline::test
