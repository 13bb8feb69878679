#include "ui/frame_flags.h"

#include <QCoreApplication>

namespace frameline::ui {

QStringList flag_words(uint32_t flags)
{
    // The core's names ("low_contrast,near_duplicate"), so a new flag shows up here without a UI change.
    QStringList words = QString::fromStdString(quality_flags_to_string(flags)).split(u',', Qt::SkipEmptyParts);
    for (QString& w : words) w.replace(u'_', u' ');
    return words;
}

QStringList flag_descriptions(uint32_t flags)
{
    struct Entry {
        uint32_t flag;
        const char* text;
    };
    static const Entry entries[] = {
        {kFlagBlack, QT_TRANSLATE_NOOP("FrameFlags", "black: almost all pixels at or near black")},
        {kFlagWhite, QT_TRANSLATE_NOOP("FrameFlags", "white: almost all pixels clipped to white")},
        {kFlagUnderexposed, QT_TRANSLATE_NOOP("FrameFlags", "underexposed: too dark to judge")},
        {kFlagOverexposed, QT_TRANSLATE_NOOP("FrameFlags", "overexposed: too bright, highlights clipped")},
        {kFlagLowContrast, QT_TRANSLATE_NOOP("FrameFlags", "low contrast: flat, washed-out picture")},
        {kFlagBlurry, QT_TRANSLATE_NOOP("FrameFlags", "blurry: little fine detail (low sharpness)")},
        {kFlagLetterboxed, QT_TRANSLATE_NOOP("FrameFlags", "letterboxed: black bars above and below")},
        {kFlagPillarboxed, QT_TRANSLATE_NOOP("FrameFlags", "pillarboxed: black bars left and right")},
        {kFlagNearDuplicate, QT_TRANSLATE_NOOP("FrameFlags", "near duplicate: looks like an earlier sampled frame")},
        {kFlagInTransition,
         QT_TRANSLATE_NOOP("FrameFlags", "in transition: inside a fade or dissolve (no other frame available)")},
    };
    QStringList out;
    uint32_t described = 0;
    for (const Entry& e : entries) {
        if (!(flags & e.flag)) continue;
        out << QCoreApplication::translate("FrameFlags", e.text);
        described |= e.flag;
    }
    // Flags added to the core later still appear, by name.
    for (const QString& word : flag_words(flags & ~described)) out << word;
    return out;
}

}  // namespace frameline::ui
