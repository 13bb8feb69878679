// The credits rule (core/analysis/credits_text.h) on frames built by hand: which lines make a credits frame, and how
// the scan's credits markers are confirmed, extended, contradicted, or found where the scan saw none.
#include <QtTest>

#include "core/analysis/credits_text.h"

using namespace frameline;

namespace {

// A 100 s title at 25 fps with shots of 10 s (frames [250k, 250k + 250)).
std::vector<ShotSpan> ten_shots() {
    std::vector<ShotSpan> shots;
    for (int k = 0; k < 10; ++k) shots.push_back(ShotSpan{250 * k, 250 * (k + 1), 10.0 * k, 10.0 * (k + 1)});
    return shots;
}

ReadFrame read_at(double s, std::vector<std::string> lines) {
    return ReadFrame{static_cast<int64_t>(s * 25), s, true, false, std::move(lines)};
}

ReadFrame skipped_at(double s) { return ReadFrame{static_cast<int64_t>(s * 25), s, false, false, {}}; }

Marker closing(int64_t start, int64_t end) {
    return Marker{CueKind::ClosingCredits, start, end, start / 25.0, (end + 1) / 25.0, 0.8};
}

const std::vector<std::string> kCard = {"Directed by", "Jane Doe"};
const std::vector<std::string> kRoll = {"Cast", "Alice Walker", "Robert Brown", "Maria Garcia", "Thomas Lee"};
const std::vector<std::string> kNames = {"Alice Walker", "Robert Brown", "Maria Garcia"};

}  // namespace

class TestCreditsText : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void creditsFrames() {
        QVERIFY(is_credit_role("Directed by Jane Doe"));
        QVERIFY(is_credit_role("MUSIC"));
        QVERIFY(is_credit_role("Director of Photography"));
        QVERIFY(!is_credit_role("Where are you going tonight"));
        QVERIFY(!is_credit_role("Musical chairs"));  // whole words only
        QVERIFY(looks_like_name("Jane Doe"));
        QVERIFY(looks_like_name("JOHN SMITH"));
        QVERIFY(looks_like_name("Seán O'Brien-Ní Dhuill"));
        QVERIFY(!looks_like_name("Madonna"));               // one word
        QVERIFY(!looks_like_name("Meet me at the station"));  // not capitalised
        QVERIFY(!looks_like_name("EXIT 42"));
        QVERIFY(is_credits_frame(kNames));                        // names
        QVERIFY(!is_credits_frame({"NATALYA", "OFFLINE", "> Send Spike", "initiate"}));  // a computer screen
        QVERIFY(is_credits_frame({"Music by John Smith"}));       // a role
        QVERIFY(is_credits_frame({"Produced by", "MARGARET OKAFOR"}));
        QVERIFY(is_credits_frame({"Jane Doe", "as the Doctor"}));  // two lines, one a name
        QVERIFY(!is_credits_frame({"Meet me at the station"}));
        QVERIFY(!is_credits_frame({"Where are you going tonight", "to the station"}));
        QVERIFY(!is_credits_frame({"HOTEL PARADISO"}));
        QVERIFY(!is_credits_frame({}));
    }

    // The scan's marker covers 90-99 s; OCR reads credits from 84 s (a roll over a picture before the dark part):
    // the marker grows back to the start of that shot (80 s) but not past the picture frame read at 78 s.
    void confirmedAndExtended() {
        std::vector<ReadFrame> frames = {read_at(5, {}),          read_at(78, {"HOTEL PARADISO"}),
                                         read_at(84, kRoll),      skipped_at(88),
                                         read_at(92, kCard),      read_at(96, kRoll)};
        const auto decisions = refine_credits({closing(2250, 2499)}, frames, ten_shots(), 100.0);
        QCOMPARE(int(decisions.size()), 1);
        const CreditsDecision& d = decisions[0];
        QCOMPARE(d.how, std::string("extended"));
        QCOMPARE(d.marker.kind, CueKind::ClosingCredits);
        QCOMPARE(d.marker.start_frame, int64_t(2000));  // the shot of the 84 s frame starts at 80 s
        QCOMPARE(d.marker.end_frame, int64_t(2499));
        QCOMPARE(d.credits_frames, 3);
        QCOMPARE(d.read_frames, 3);
        QCOMPARE(d.marker.confidence, 1.0);

        // Only inside the marker: confirmed, range unchanged.
        frames = {read_at(5, {}), read_at(92, kCard), read_at(96, kRoll)};
        const auto confirmed = refine_credits({closing(2250, 2499)}, frames, ten_shots(), 100.0);
        QCOMPARE(confirmed[0].how, std::string("confirmed"));
        QCOMPARE(confirmed[0].marker.start_frame, int64_t(2250));
    }

    // A dark, quiet scene the scan took for credits: OCR read its frames and saw no text at all.
    void contradictedKeepsTheMarkerAtLowConfidence() {
        const std::vector<ReadFrame> frames = {read_at(91, {}), read_at(95, {}), read_at(99, {})};
        const auto decisions = refine_credits({closing(2250, 2499)}, frames, ten_shots(), 100.0);
        QCOMPARE(int(decisions.size()), 1);
        QCOMPARE(decisions[0].how, std::string("contradicted"));
        QCOMPARE(decisions[0].marker.confidence, 0.3);
        // Again on the refined marker: the same answer (the step may run twice).
        const auto again = refine_credits({decisions[0].marker}, frames, ten_shots(), 100.0);
        QCOMPARE(again[0].how, std::string("contradicted"));
        QCOMPARE(again[0].marker.confidence, 0.3);
        // Not read (the gate skipped them): no evidence either way.
        const auto unknown = refine_credits({closing(2250, 2499)}, {skipped_at(91)}, ten_shots(), 100.0);
        QCOMPARE(unknown[0].how, std::string("unchanged"));
        QCOMPARE(unknown[0].marker.confidence, 0.8);
    }

    // Credits over pictures that the scan (text on dark) cannot see: found at both ends, never in the middle.
    void foundWhereTheScanSawNone() {
        const std::vector<ReadFrame> frames = {
            read_at(2, kCard),  read_at(6, {"Music by", "John Smith"}),  // opening: two cards
            read_at(12, {}),    read_at(45, kRoll), read_at(48, kRoll),    // a letter mid-title: not credits
            read_at(60, {"Meet me at the station"}),
            read_at(86, kRoll), read_at(93, kRoll), read_at(97, {"Thank you for watching", "Jane Doe"})};
        const auto decisions = refine_credits({}, frames, ten_shots(), 100.0);
        QCOMPARE(int(decisions.size()), 2);
        QCOMPARE(decisions[0].marker.kind, CueKind::OpeningCredits);
        QCOMPARE(decisions[0].how, std::string("found"));
        QCOMPARE(decisions[0].marker.start_frame, int64_t(0));
        QCOMPARE(decisions[0].marker.end_frame, int64_t(249));
        QCOMPARE(decisions[1].marker.kind, CueKind::ClosingCredits);
        QCOMPARE(decisions[1].marker.start_frame, int64_t(2000));
        QCOMPARE(decisions[1].marker.end_frame, int64_t(2499));
        QCOMPARE(decisions[1].credits_frames, 3);
        // One card alone at the end is not enough; a dense roll alone is.
        QVERIFY(refine_credits({}, {read_at(97, kCard)}, ten_shots(), 100.0).empty());
        const auto roll = refine_credits(
            {}, {read_at(97, {"Music", "Bb Cc", "Dd Ee", "Ff Gg", "Hh Ii", "Jj Kk", "Ll Mm"})}, ten_shots(), 100.0);
        QCOMPARE(int(roll.size()), 1);
        // Names without any credit role are not enough for credits the scan did not see (a computer screen's
        // "NATALYA OFFLINE" looks like a name).
        QVERIFY(refine_credits({}, {read_at(2, {"NATALYA OFFLINE", "Send Spike"}), read_at(6, kNames)}, ten_shots(),
                               100.0)
                    .empty());
        // ... but they confirm a marker the scan proposed.
        const auto named = refine_credits({closing(2250, 2499)}, {read_at(92, kNames)}, ten_shots(), 100.0);
        QCOMPARE(named[0].how, std::string("confirmed"));
        // A gap longer than max_gap_s splits a stretch.
        const auto split = refine_credits({}, {read_at(76, kRoll), read_at(99, kRoll)}, ten_shots(), 100.0);
        QVERIFY(split.empty());
    }

    void emptyInputs() {
        QVERIFY(refine_credits({}, {}, {}, 0.0).empty());
        const auto kept = refine_credits({closing(10, 20)}, {}, {}, 100.0);
        QCOMPARE(int(kept.size()), 1);
        QCOMPARE(kept[0].how, std::string("unchanged"));
        // Other kinds of markers are not credits and are not returned.
        QVERIFY(refine_credits({Marker{CueKind::Black, 0, 9, 0, 0.4, 1}}, {}, ten_shots(), 100.0).empty());
    }
};

QTEST_GUILESS_MAIN(TestCreditsText)
#include "tst_credits_text.moc"
