#pragma once
// Subtitle text as people read it: markup taken out, encodings turned into UTF-8. Shared by the embedded reader
// (subtitle_reader.h) and the sidecar reader (sidecar_subtitles.h). No FFmpeg here.
#include <string>
#include <string_view>

namespace frameline {

// The Text field of an ASS dialogue line, as FFmpeg's subtitle decoders give it
// ("ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text" — or a full "Dialogue: ..." line): override
// blocks ({\i1}, {\an8}, {\pos(10,20)}) removed, vector drawings ({\p1}m 0 0 l ...{\p0}) dropped, \N and \n as line
// breaks, \h as a space. Lines are trimmed; empty lines dropped; joined with "\n".
std::string ass_dialogue_text(std::string_view dialogue);

// SubRip and WebVTT cue text: HTML-like tags (<i>, <b>, <font color=..>, <c.yellow>, <v Bob>, <00:01.000>, <ruby>)
// and ASS override blocks some SubRip files carry ({\an8}) removed, entities (&amp; &lt; &gt; &quot; &apos;
// &nbsp; &lrm; &rlm; &#233; &#xE9;) decoded. Lines are trimmed; empty lines dropped; joined with "\n".
std::string plain_cue_text(std::string_view text);

bool is_valid_utf8(std::string_view text);

// Windows-1252 (the usual encoding of old Western European .srt files; its 0xA0-0xFF range is ISO 8859-1) as UTF-8.
std::string windows1252_to_utf8(std::string_view text);

// UTF-16 (without its byte order mark) as UTF-8; unpaired surrogates become U+FFFD.
std::string utf16_to_utf8(std::string_view bytes, bool big_endian);

}  // namespace frameline
