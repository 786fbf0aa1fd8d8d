#include "render/page_cache.h"

#include <cstring>
#include <vector>

#include "core/fs.h"
#include "render/manifest.h"
#include "render/output.h"

namespace clemency {
namespace {

const char kMagic[] = "clemency-pages 7";  // 7: rounds and the 2025 places

// Length-prefixed little pieces: strings, integers, doubles, flags. Reading checks every length,
// so a damaged file yields "no cache", never a crash.
class Encoder {
 public:
  void Text(std::string_view text) {
    Int(static_cast<int64_t>(text.size()));
    out_.append(text);
  }
  void Int(int64_t value) { out_.append(reinterpret_cast<const char*>(&value), sizeof value); }
  void Real(double value) { out_.append(reinterpret_cast<const char*>(&value), sizeof value); }
  void Flag(bool value) { out_.push_back(value ? 1 : 0); }
  void Date(const DateTime& date) {
    Int(date.unix_seconds);
    Int(date.offset_minutes);
    Flag(date.has_time);
  }
  void MaybeDate(const std::optional<DateTime>& date) {
    Flag(date.has_value());
    if (date) Date(*date);
  }
  // A fixed group of texts, in order (no count: the reader knows how many).
  template <typename... Texts>
  void Fields(const Texts&... texts) {
    (Text(texts), ...);
  }
  void Texts(const std::vector<std::string>& texts) {
    Int(static_cast<int64_t>(texts.size()));
    for (const auto& text : texts) Text(text);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return at_ == in_.size(); }

  std::string Text() { return std::string(View()); }
  // A text as a view into the input (no copy).
  std::string_view View() {
    int64_t size = Int();
    if (!ok_ || size < 0 || static_cast<uint64_t>(size) > in_.size() - at_) {
      return Fail<std::string_view>();
    }
    std::string_view out = in_.substr(at_, static_cast<size_t>(size));
    at_ += static_cast<size_t>(size);
    return out;
  }
  int64_t Int() { return Raw<int64_t>(); }
  double Real() { return Raw<double>(); }
  bool Flag() {
    if (at_ >= in_.size()) return Fail<bool>();
    return in_[at_++] != 0;
  }
  DateTime Date() {
    DateTime date;
    date.unix_seconds = Int();
    date.offset_minutes = static_cast<int>(Int());
    date.has_time = Flag();
    return date;
  }
  std::optional<DateTime> MaybeDate() {
    if (!Flag()) return std::nullopt;
    return Date();
  }
  template <typename... Texts>
  void Fields(Texts*... texts) {
    ((*texts = Text()), ...);  // a fold over ',' reads in order
  }
  std::vector<std::string> Texts() {
    std::vector<std::string> out(Count());
    for (auto& text : out) text = Text();
    return out;
  }
  // A list length, bounded by what is left so a damaged length cannot ask for huge memory.
  size_t Count() {
    int64_t n = Int();
    if (!ok_ || n < 0 || static_cast<uint64_t>(n) > in_.size() - at_) return Fail<size_t>();
    return static_cast<size_t>(n);
  }

 private:
  template <typename T>
  T Raw() {
    T value{};
    if (in_.size() - at_ < sizeof value) return Fail<T>();
    std::memcpy(&value, in_.data() + at_, sizeof value);
    at_ += sizeof value;
    return value;
  }
  template <typename T>
  T Fail() {
    ok_ = false;
    at_ = in_.size();
    return T{};
  }
  std::string_view in_;
  size_t at_ = 0;
  bool ok_ = true;
};

void EncodePage(const Page& p, Encoder& e) {
  e.Fields(p.section, p.slug, p.lang, p.kind, p.source_path, p.title, p.summary, p.change_note,
           p.translation_status);
  e.Date(p.date);
  e.Date(p.updated);
  e.MaybeDate(p.reviewed);
  e.MaybeDate(p.translated_from);
  e.Flag(p.draft);
  e.Int(p.weight);
  e.Texts(p.tags);
  e.Texts(p.aliases);
  e.Int(p.aliases_line);
  e.Int(static_cast<int64_t>(p.sources.size()));
  for (const auto& s : p.sources) e.Fields(s.title, s.number, s.article, s.url);
  e.Flag(p.consent.has_value());
  if (p.consent) {
    e.Fields(p.consent->basis, p.consent->given_by, p.consent->scope, p.consent->images);
    e.MaybeDate(p.consent->date);
  }
  e.Flag(p.story_source.has_value());
  if (p.story_source) {
    e.Fields(p.story_source->title, p.story_source->publisher, p.story_source->url);
    e.MaybeDate(p.story_source->date);
  }
  e.Flag(p.support.has_value());
  if (p.support) {
    const SupportInfo& s = *p.support;
    e.Fields(s.province, s.current_province, s.commune, s.former_district, s.district,
             s.organisation, s.contact.phone, s.contact.address, s.contact.hours, s.verified_by);
    e.Texts(s.services);
    e.Flag(s.coordinates.has_value());
    if (s.coordinates) {
      e.Real(s.coordinates->lat);
      e.Real(s.coordinates->lon);
    }
    e.MaybeDate(s.verified);
  }
  e.Flag(p.round.has_value());
  if (p.round) {
    const RoundInfo& r = *p.round;
    e.Fields(r.decision, r.status);
    e.MaybeDate(r.decision_date);
    e.Int(static_cast<int64_t>(r.key_dates.size()));
    for (const auto& key_date : r.key_dates) {
      e.Text(key_date.label);
      e.Date(key_date.date);
    }
    e.Texts(r.conditions);
  }
  e.Int(static_cast<int64_t>(p.body_offset));
  e.Int(p.body_first_line);
}

void DecodePage(Decoder& d, Page* p) {
  d.Fields(&p->section, &p->slug, &p->lang, &p->kind, &p->source_path, &p->title, &p->summary,
           &p->change_note, &p->translation_status);
  p->date = d.Date();
  p->updated = d.Date();
  p->reviewed = d.MaybeDate();
  p->translated_from = d.MaybeDate();
  p->draft = d.Flag();
  p->weight = d.Int();
  p->tags = d.Texts();
  p->aliases = d.Texts();
  p->aliases_line = static_cast<int>(d.Int());
  p->sources.resize(d.Count());
  for (auto& s : p->sources) d.Fields(&s.title, &s.number, &s.article, &s.url);
  if (d.Flag()) {
    Consent& consent = p->consent.emplace();
    d.Fields(&consent.basis, &consent.given_by, &consent.scope, &consent.images);
    consent.date = d.MaybeDate();
  }
  if (d.Flag()) {
    StorySource& source = p->story_source.emplace();
    d.Fields(&source.title, &source.publisher, &source.url);
    source.date = d.MaybeDate();
  }
  if (d.Flag()) {
    SupportInfo& s = p->support.emplace();
    d.Fields(&s.province, &s.current_province, &s.commune, &s.former_district, &s.district,
             &s.organisation, &s.contact.phone, &s.contact.address, &s.contact.hours,
             &s.verified_by);
    s.services = d.Texts();
    if (d.Flag()) {
      double lat = d.Real();
      s.coordinates = Coordinates{lat, d.Real()};
    }
    s.verified = d.MaybeDate();
  }
  if (d.Flag()) {
    RoundInfo& r = p->round.emplace();
    d.Fields(&r.decision, &r.status);
    r.decision_date = d.MaybeDate();
    r.key_dates.resize(d.Count());
    for (auto& key_date : r.key_dates) {
      key_date.label = d.Text();
      key_date.date = d.Date();
    }
    r.conditions = d.Texts();
  }
  p->body_offset = static_cast<size_t>(d.Int());
  p->body_first_line = static_cast<int>(d.Int());
}

// Whether a cache file starts with this format and was written by this very program.
bool OwnHeader(Decoder& d) { return d.View() == kMagic && d.View() == ProgramIdentity(); }

}  // namespace

std::string PageCache::Encode(const RenderedPage& r) {
  Encoder e;
  EncodePage(r.page, e);
  e.Int(static_cast<int64_t>(r.body.links.size()));
  for (const auto& link : r.body.links) {
    e.Text(link.href);
    e.Flag(link.safe);
  }
  e.Int(static_cast<int64_t>(r.body.images.size()));
  for (const auto& image : r.body.images) {
    e.Fields(image.src, image.alt);
    e.Flag(image.safe);
  }
  e.Int(static_cast<int64_t>(r.body.headings.size()));
  for (const auto& heading : r.body.headings) {
    e.Int(heading.level);
    e.Text(heading.id);
  }
  const ReadabilityScore& score = r.readability;
  e.Text(score.metric);
  e.Real(score.value);
  e.Real(score.threshold);
  e.Flag(score.higher_is_better);
  e.Int(static_cast<int64_t>(score.sentences));
  e.Int(static_cast<int64_t>(score.words));
  e.Flag(score.scored);
  e.Text(r.source_hash);
  e.Text(r.source_stamp);
  e.Fields(r.sort_keys.title, r.sort_keys.place, r.list_hash);
  return std::move(e.bytes());
}

bool PageCache::Decode(std::string_view bytes, RenderedPage* r) {
  Decoder d(bytes);
  DecodePage(d, &r->page);
  r->body.links.resize(d.Count());
  for (auto& link : r->body.links) {
    link.href = d.Text();
    link.safe = d.Flag();
  }
  r->body.images.resize(d.Count());
  for (auto& image : r->body.images) {
    d.Fields(&image.src, &image.alt);
    image.safe = d.Flag();
  }
  r->body.headings.resize(d.Count());
  for (auto& heading : r->body.headings) {
    heading.level = static_cast<int>(d.Int());
    heading.id = d.Text();
  }
  ReadabilityScore& score = r->readability;
  score.metric = d.Text();
  score.value = d.Real();
  score.threshold = d.Real();
  score.higher_is_better = d.Flag();
  score.sentences = static_cast<size_t>(d.Int());
  score.words = static_cast<size_t>(d.Int());
  score.scored = d.Flag();
  r->source_hash = d.Text();
  r->source_stamp = d.Text();
  d.Fields(&r->sort_keys.title, &r->sort_keys.place, &r->list_hash);
  return d.ok() && d.done();
}

std::string PageCache::PathFor(const std::string& out_dir) {
  return OutputFolder(out_dir) + ".pages";
}

bool PageCache::Usable(const std::string& out_dir, const std::string& site_dir) {
  const std::string path = PathFor(out_dir);
  auto file = MappedFile::Open(path);
  if (!file.ok()) return false;
  Decoder d((*file)->bytes());
  if (!OwnHeader(d)) return false;
  // Its pages were checked against site/ as it was then: a change there since voids them.
  return LatestChange(site_dir) < LatestChange(path);
}

PageCache PageCache::Load(const std::string& out_dir) {
  PageCache cache;
  auto file = MappedFile::Open(PathFor(out_dir));
  if (!file.ok()) return cache;
  cache.file_ = std::move(file).value();
  Decoder d(cache.file_->bytes());
  if (!OwnHeader(d)) return PageCache();
  cache.site_key_ = d.Text();
  // Room for every record at once (a page's record is rarely under half a kilobyte).
  cache.records_.reserve(cache.file_->bytes().size() / 512);
  // Records to the end of the file; a later record of a path (appended by a rebuild) replaces an
  // earlier one. A record cut short (a build stopped while appending) voids the whole cache.
  while (!d.done() && d.ok()) {
    std::string_view path = d.View(), stamp = d.View(), record = d.View();
    if (path.empty()) {  // not a page: the link targets of the build that wrote the records
      cache.link_targets_ = std::string(stamp);
      continue;
    }
    cache.records_.insert_or_assign(path, Record{stamp, record});
    ++cache.stored_records_;
  }
  if (!d.ok()) return PageCache();
  return cache;
}

Status PageCache::Save(const std::string& out_dir, const Site& site, const PageCache* previous) {
  const std::string& site_key = site.site_key();
  const auto& pages = site.pages();
  bool same_site = previous && previous->file_ && previous->site_key_ == site_key;
  // Pages whose record in `previous` is still theirs need not be written again.
  auto stored = [&](const RenderedPage& page) -> const Record* {
    if (!same_site) return nullptr;
    auto it = previous->records_.find(page.page.source_path);
    return it != previous->records_.end() && it->second.stamp == page.source_stamp ? &it->second
                                                                                   : nullptr;
  };
  std::vector<const RenderedPage*> changed;
  for (const auto& page : pages) {
    if (!page.source_stamp.empty() && !stored(page)) changed.push_back(&page);
  }
  auto append_record = [](Encoder& e, const RenderedPage& page, std::string_view bytes) {
    e.Text(page.page.source_path);
    e.Text(page.source_stamp);
    e.Text(bytes);
  };
  // The link targets go after the pages they apply to (a record with no path; the last one read
  // wins, like a page's).
  auto append_link_targets = [&site](Encoder& e) { e.Fields("", site.link_targets(), ""); };
  // A few changed pages are appended (rewriting the whole cache for one edited page costs more
  // than the edit); the file is rewritten when there is no usable one, when many pages changed,
  // or when replaced records would make up half of it.
  if (same_site && changed.size() <= std::max<size_t>(16, pages.size() / 10) &&
      previous->stored_records_ + changed.size() < 2 * (previous->records_.size() + 1)) {
    if (changed.empty() && previous->link_targets_ == site.link_targets()) return Status::Ok();
    Encoder e;
    for (const RenderedPage* page : changed) append_record(e, *page, Encode(*page));
    append_link_targets(e);
    return AppendToFile(PathFor(out_dir), e.bytes());
  }
  Encoder e;
  if (previous && previous->file_) e.bytes().reserve(previous->file_->bytes().size() * 9 / 8);
  e.Text(kMagic);
  e.Text(ProgramIdentity());
  e.Text(site_key);
  for (const auto& page : pages) {
    if (page.source_stamp.empty()) continue;
    const Record* record = stored(page);
    append_record(e, page, record ? record->bytes : std::string_view(Encode(page)));
  }
  append_link_targets(e);
  return WriteFileAtomically(PathFor(out_dir), e.bytes());
}

bool PageCache::Take(const std::string& source_path, const std::string& stamp, RenderedPage* out) {
  if (stamp.empty()) return false;
  auto it = records_.find(source_path);
  if (it == records_.end() || it->second.stamp != stamp) return false;
  if (Decode(it->second.bytes, out) && out->page.source_path == source_path) return true;
  it->second.stamp = {};  // damaged: never matches again
  return false;
}

}  // namespace clemency
