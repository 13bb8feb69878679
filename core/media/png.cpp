#include "core/media/png.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <cstring>
#include <fstream>
#include <memory>

#include "core/error.h"
#include "core/media/ffmpeg_util.h"

namespace frameline {
namespace {
struct CodecFree {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFree {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFree {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFree>;
using FramePtr = std::unique_ptr<AVFrame, FrameFree>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;

void check(int rc, const char* what) {
    if (rc < 0) throw Error(std::string("PNG ") + what + " failed: " + ffmpeg::error_text(rc));
}
}  // namespace

std::vector<uint8_t> encode_png(const RgbImage& image) {
    if (image.empty() || image.width <= 0 || image.height <= 0 ||
        image.rgb.size() != static_cast<size_t>(image.width) * image.height * 3)
        throw Error("cannot write an empty or inconsistent image as PNG (" + std::to_string(image.width) + "x" +
                    std::to_string(image.height) + ")");
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    if (!codec) throw Error("this FFmpeg build has no PNG encoder (install a full libavcodec)");
    CodecPtr ctx(avcodec_alloc_context3(codec));
    ctx->width = image.width;
    ctx->height = image.height;
    ctx->pix_fmt = AV_PIX_FMT_RGB24;
    ctx->time_base = AVRational{1, 1};
    check(avcodec_open2(ctx.get(), codec, nullptr), "encoder setup");
    FramePtr frame(av_frame_alloc());
    frame->width = image.width;
    frame->height = image.height;
    frame->format = AV_PIX_FMT_RGB24;
    check(av_frame_get_buffer(frame.get(), 0), "frame allocation");
    for (int y = 0; y < image.height; ++y)
        std::memcpy(frame->data[0] + static_cast<ptrdiff_t>(y) * frame->linesize[0],
                    image.rgb.data() + static_cast<size_t>(y) * image.width * 3, static_cast<size_t>(image.width) * 3);
    check(avcodec_send_frame(ctx.get(), frame.get()), "encoding");
    check(avcodec_send_frame(ctx.get(), nullptr), "encoding");  // flush: one picture, one packet
    PacketPtr packet(av_packet_alloc());
    std::vector<uint8_t> out;
    while (avcodec_receive_packet(ctx.get(), packet.get()) == 0) {
        out.insert(out.end(), packet->data, packet->data + packet->size);
        av_packet_unref(packet.get());
    }
    if (out.empty()) throw Error("PNG encoding produced no data");
    return out;
}

RgbImage decode_png(const std::vector<uint8_t>& png) {
    static const uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (png.size() < 8 || std::memcmp(png.data(), kSignature, 8) != 0) throw Error("not a PNG image");
    const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_PNG);
    if (!codec) throw Error("this FFmpeg build has no PNG decoder");
    CodecPtr ctx(avcodec_alloc_context3(codec));
    check(avcodec_open2(ctx.get(), codec, nullptr), "decoder setup");
    PacketPtr packet(av_packet_alloc());
    // The decoder may read a little past the end: copy into a padded buffer.
    std::vector<uint8_t> padded(png.size() + AV_INPUT_BUFFER_PADDING_SIZE, 0);
    std::memcpy(padded.data(), png.data(), png.size());
    packet->data = padded.data();
    packet->size = static_cast<int>(png.size());
    check(avcodec_send_packet(ctx.get(), packet.get()), "decoding");
    FramePtr frame(av_frame_alloc());
    check(avcodec_receive_frame(ctx.get(), frame.get()), "decoding");
    RgbImage img;
    img.width = frame->width;
    img.height = frame->height;
    img.rgb.resize(static_cast<size_t>(img.width) * img.height * 3);
    SwsContext* sws = sws_getContext(frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
                                     img.width, img.height, AV_PIX_FMT_RGB24, SWS_POINT, nullptr, nullptr, nullptr);
    if (!sws) throw Error("PNG pixel format conversion is not available");
    uint8_t* dst[4] = {img.rgb.data(), nullptr, nullptr, nullptr};
    int dst_stride[4] = {img.width * 3, 0, 0, 0};
    sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
    sws_freeContext(sws);
    return img;
}

void write_png(const std::filesystem::path& path, const RgbImage& image) {
    const std::vector<uint8_t> bytes = encode_png(image);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write '" + path.string() + "': check the folder exists and is writable");
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw Error("writing '" + path.string() + "' failed (disk full?)");
}

}  // namespace frameline
