#pragma once
// QR codes as SVG, made at build time so a printed page leads back to its current version.
// The only module that includes qrencode.h.
#include <string>
#include <string_view>

#include "core/status.h"

namespace clemency {

// An SVG image (standalone <svg> element, black modules on white, a 4-module quiet zone) of
// `text` as a QR code with error correction level M. `label` becomes its accessible name.
// An error when the text is too long for a QR code or libqrencode fails.
Result<std::string> QrSvg(std::string_view text, std::string_view label);

}  // namespace clemency
