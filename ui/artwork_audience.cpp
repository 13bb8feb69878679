#include "ui/artwork_audience.h"

#include <QObject>

#include "core/analysis/personalised_artwork.h"
#include "core/analysis/title_facts.h"
#include "core/store/store.h"

namespace frameline::ui {

QList<QPair<QString, QString>> audienceSegments(const QString& profiles_json, QString* error)
{
    QList<QPair<QString, QString>> out;
    try {
        for (const SegmentProfile& s : parse_segment_profiles(profiles_json.toStdString()).segments)
            out.append({QString::fromStdString(s.id), QString::fromStdString(s.name.empty() ? s.id : s.name)});
        if (error) error->clear();
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        out.clear();
    }
    return out;
}

AudienceRanking rankForAudience(Store& store, qint64 title_id, const std::string& profiles_json,
                                const QString& segment_id, const std::vector<frameline::ArtworkCandidate>& candidates)
{
    AudienceRanking out;
    out.segment_id = segment_id;
    try {
        const SegmentProfiles profiles = parse_segment_profiles(profiles_json);
        const SegmentProfile* segment = nullptr;
        for (const SegmentProfile& s : profiles.segments)
            if (QString::fromStdString(s.id) == segment_id) segment = &s;
        if (!segment) {
            out.error = QObject::tr("No segment '%1' in the profiles — choose another audience.").arg(segment_id);
            return out;
        }
        const TitleFacts facts = load_title_facts(store, title_id);
        ArtworkContext ctx;
        ctx.facts = &facts;
        ctx.artwork = candidates;
        ctx.tags = store.tags(title_id);
        ctx.characters = store.characters(title_id);
        int place = 0;
        for (const SegmentRank& r : rank_artwork_for_segment(ctx, *segment))
            out.places.insert(candidates[r.candidate].id, AudiencePlace{++place, r.score, r.affinity});
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

}  // namespace frameline::ui
