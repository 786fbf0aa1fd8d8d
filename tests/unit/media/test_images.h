#pragma once
// Test images made with libvips (no fixture files), and a JPEG with an EXIF block spliced in by
// hand: GPS coordinates, an orientation and a description a test can look for.
#include <vips/vips.h>

#include <cstdint>
#include <string>

namespace clemency::testing {

// Returns a `width` x `height` 3-band gradient encoded as "jpg", "png" or "webp" (libvips saves
// it without metadata).
inline std::string MakeImage(const std::string& ext, int width, int height) {
  if (VIPS_INIT("clemency-test") != 0) return "";
  VipsImage *xyz = nullptr, *band = nullptr, *rgb = nullptr, *pixels = nullptr;
  vips_xyz(&xyz, width, height, nullptr);
  vips_extract_band(xyz, &band, 0, nullptr);
  VipsImage* bands[3] = {band, band, band};
  vips_bandjoin(bands, &rgb, 3, nullptr);
  vips_cast_uchar(rgb, &pixels, nullptr);
  void* buffer = nullptr;
  size_t size = 0;
  if (ext == "jpg") vips_jpegsave_buffer(pixels, &buffer, &size, "strip", TRUE, nullptr);
  if (ext == "png") vips_pngsave_buffer(pixels, &buffer, &size, "strip", TRUE, nullptr);
  if (ext == "webp") vips_webpsave_buffer(pixels, &buffer, &size, "strip", TRUE, nullptr);
  std::string bytes(static_cast<const char*>(buffer), size);
  g_free(buffer);
  for (VipsImage* image : {xyz, band, rgb, pixels}) g_object_unref(image);
  return bytes;
}

inline void PutU16(std::string& s, uint16_t v) {  // big-endian (TIFF "MM")
  s += static_cast<char>(v >> 8);
  s += static_cast<char>(v & 0xFF);
}
inline void PutU32(std::string& s, uint32_t v) {
  PutU16(s, static_cast<uint16_t>(v >> 16));
  PutU16(s, static_cast<uint16_t>(v & 0xFFFF));
}
inline void PutEntry(std::string& s, uint16_t tag, uint16_t type, uint32_t count, uint32_t value) {
  PutU16(s, tag);
  PutU16(s, type);
  PutU32(s, count);
  PutU32(s, value);
}

// Returns an EXIF APP1 segment: IFD0 with Orientation `orientation`, ImageDescription
// "SECRET-PLACE" and a GPS IFD (latitude 10°45'N, the letters "GPSMARK" in GPSMapDatum).
inline std::string ExifSegment(uint16_t orientation) {
  std::string tiff = "MM";
  PutU16(tiff, 42);
  PutU32(tiff, 8);
  // IFD0 at 8: 3 entries (2 + 3*12 + 4 = 42 bytes) -> ends at 50.
  const uint32_t description = 50, gps_ifd = 64;
  PutU16(tiff, 3);
  PutEntry(tiff, 0x010E, 2, 13, description);            // ImageDescription, ASCII
  PutEntry(tiff, 0x0112, 3, 1, uint32_t{orientation} << 16);  // Orientation, SHORT
  PutEntry(tiff, 0x8825, 4, 1, gps_ifd);                 // GPSInfo IFD pointer
  PutU32(tiff, 0);
  tiff += std::string("SECRET-PLACE\0", 13);
  tiff += '\0';  // pad to 64
  // GPS IFD at 64: 3 entries (2 + 36 + 4 = 42) -> data at 106.
  const uint32_t latitude = 106, datum = 130;
  PutU16(tiff, 3);
  PutEntry(tiff, 0x0001, 2, 2, 0x4E000000);  // GPSLatitudeRef "N"
  PutEntry(tiff, 0x0002, 5, 3, latitude);    // GPSLatitude, 3 RATIONAL
  PutEntry(tiff, 0x0012, 2, 8, datum);       // GPSMapDatum
  PutU32(tiff, 0);
  for (uint32_t v : {10u, 1u, 45u, 1u, 0u, 1u}) PutU32(tiff, v);
  tiff += std::string("GPSMARK\0", 8);
  std::string segment = "\xFF\xE1";
  PutU16(segment, static_cast<uint16_t>(2 + 6 + tiff.size()));
  segment += std::string("Exif\0\0", 6);
  return segment + tiff;
}

// Returns `jpeg` with the EXIF segment inserted after its start-of-image marker.
inline std::string WithExif(const std::string& jpeg, uint16_t orientation) {
  return jpeg.substr(0, 2) + ExifSegment(orientation) + jpeg.substr(2);
}

// True when the JPEG `bytes` has an APP1 (EXIF/XMP) marker before its image data.
inline bool HasApp1(const std::string& bytes) {
  size_t at = 2;
  while (at + 4 <= bytes.size() && static_cast<unsigned char>(bytes[at]) == 0xFF) {
    const unsigned char marker = static_cast<unsigned char>(bytes[at + 1]);
    if (marker == 0xE1) return true;
    if (marker == 0xDA) return false;  // start of scan
    at += 2 + ((static_cast<unsigned char>(bytes[at + 2]) << 8) |
               static_cast<unsigned char>(bytes[at + 3]));
  }
  return false;
}

}  // namespace clemency::testing
