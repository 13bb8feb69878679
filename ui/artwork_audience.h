#pragma once
// Preview per audience segment: the artwork team's segment profiles (JSON, see core/analysis/personalised_artwork.h)
// rank the title's candidates for each segment, as the A/B plan export does. The profiles live in a file the team
// keeps (the analysis does not store them); the board remembers the last one chosen.
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <string>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline {
class Store;
}

namespace frameline::ui {

struct AudiencePlace {
    int place = 0;  // 1-based
    double score = 0;
    double affinity = 0;
};

struct AudienceRanking {
    QString segment_id;
    QHash<qint64, AudiencePlace> places;  // by candidate id
    QString error;
};

// The segments of a profiles document as (id, name); an error naming the problem otherwise.
QList<QPair<QString, QString>> audienceSegments(const QString& profiles_json, QString* error);

// Runs on a worker: reads the title's facts, tags and characters and ranks `candidates` for the segment. Never throws.
AudienceRanking rankForAudience(Store& store, qint64 title_id, const std::string& profiles_json,
                                const QString& segment_id, const std::vector<frameline::ArtworkCandidate>& candidates);

}  // namespace frameline::ui
