#pragma once
// What the fuzz targets share: the project's real site configuration and wording rules, read
// once, and a `clemency serve` of a built fixture site on a loopback port for the HTTP targets.
#include <string>
#include <string_view>

#include "config/site_config.h"
#include "content/checks.h"

namespace clemency::fuzz {

// Returns the project's site/config.yaml, read once. Aborts when it does not load.
const SiteConfig& RealConfig();
// Returns the project's wording rules (site/wording/), read once.
const WordingRules& RealWordingRules();

// Returns the port of a server started on first use: the tests/sites/multilingual fixture built
// into a temporary folder, its store imported, the real self-check rules. Stays up until exit.
int ServerPort();
// Sends `request` (raw bytes) to the server on a fresh connection and returns everything it
// answers until it closes the connection or 2 s pass.
std::string Exchange(std::string_view request);
// Aborts (a crash for libFuzzer) when `response` is a 5xx or not an HTTP response at all, since
// bad input must get a 4xx, never a server error. An empty response (connection closed without
// answer) is allowed only when `allow_silence`.
void RequireClientError(std::string_view response, bool allow_silence);

}  // namespace clemency::fuzz
