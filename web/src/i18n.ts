// SPDX-License-Identifier: MIT
// The UI language: Vietnamese by default, English on request, remembered in
// localStorage ("bp.lang"). Every text is written as a pair, tr('Đăng nhập',
// 'Log in'), like the CLI's L(), so both languages stay side by side.
export type Lang = 'vi' | 'en';

const KEY = 'bp.lang';
let current: Lang = 'vi';
try {
  if (localStorage.getItem(KEY) === 'en') current = 'en';
} catch {
  /* storage blocked: stay Vietnamese */
}
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(l: Lang): void {
  current = l;
  try {
    localStorage.setItem(KEY, l);
  } catch {
    /* not remembered, still switched */
  }
  document.documentElement.lang = l;
  listeners.forEach((f) => f());
}

export function onLang(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** The text in the current language. */
export function tr(vi: string, en: string): string {
  return current === 'vi' ? vi : en;
}

/** Vietnamese and English names of the record fields the API reports errors on. */
const FIELDS: Record<string, [string, string]> = {
  username: ['Tên đăng nhập', 'User name'],
  password: ['Mật khẩu', 'Password'],
  name: ['Tên', 'Name'],
  kind: ['Loại', 'Kind'],
  collective_kind: ['Loại tập thể', 'Kind of collective'],
  members: ['Số nhân khẩu', 'Members'],
  village_id: ['Thôn, bản', 'Village'],
  commune_id: ['Xã', 'Commune'],
  station_id: ['Đồn Biên phòng', 'Station'],
  phone: ['Số điện thoại', 'Phone'],
  citizen_id: ['Số CCCD/CMND', 'Citizen ID'],
  contact: ['Người liên hệ', 'Contact person'],
  custodian_id: ['Hộ/tập thể', 'Household or collective'],
  from: ['Điểm đầu', 'Start'],
  to: ['Điểm cuối', 'End'],
  from_m: ['Điểm đầu (km)', 'Start (km)'],
  to_m: ['Điểm cuối (km)', 'End (km)'],
  from_marker: ['Mốc đầu', 'Start marker'],
  to_marker: ['Mốc cuối', 'End marker'],
  from_offset_m: ['Cự ly từ mốc đầu (m)', 'Offset from start marker (m)'],
  to_offset_m: ['Cự ly từ mốc cuối (m)', 'Offset from end marker (m)'],
  signed_on: ['Ngày ký nhận', 'Signed on'],
  ended_on: ['Ngày kết thúc', 'Ended on'],
  doc_no: ['Số văn bản', 'Document number'],
  note: ['Ghi chú', 'Note'],
  file: ['Tệp GPX', 'GPX file'],
  gpx: ['Tệp GPX', 'GPX file'],
  date: ['Ngày', 'Date'],
  status: ['Trạng thái', 'Status'],
  amount: ['Số tiền', 'Amount'],
  role: ['Vai trò', 'Role'],
  body: ['Nội dung yêu cầu', 'Request body'],
  format: ['Định dạng', 'Format'],
  lang: ['Ngôn ngữ', 'Language'],
  commune: ['Xã', 'Commune'],
  station: ['Đồn Biên phòng', 'Station'],
  amount_vnd: ['Số tiền', 'Amount'],
  donor_id: ['Nhà hảo tâm', 'Donor'],
  campaign_id: ['Đợt vận động', 'Campaign'],
  road_id: ['Dự án đường', 'Road project'],
  labour_days: ['Ngày công', 'Labour days'],
  receipt_no: ['Số phiếu thu', 'Receipt number'],
  purpose: ['Nội dung chi', 'Purpose'],
  on: ['Ngày', 'Date'],
  anonymous: ['Xin ẩn danh', 'Anonymous'],
  form: ['Hình thức', 'Form'],
  item: ['Hiện vật', 'Item'],
  quantity: ['Số lượng', 'Quantity'],
  unit: ['Đơn vị tính', 'Unit'],
  fulfils_id: ['Thực hiện cam kết', 'Fulfils the promise'],
  fulfils: ['Thực hiện cam kết', 'Fulfils the promise'],
  labour_day_vnd: ['Giá trị ngày công', 'Value of a labour day'],
  year: ['Năm', 'Year'],
  activities: ['Số hoạt động', 'Activities'],
  kinds: ['Hình thức hoạt động', 'Kinds of activity'],
  participants: ['Người tham gia', 'Participants'],
  gifts: ['Suất quà', 'Gifts'],
  gifts_vnd: ['Trị giá quà', 'Value of gifts'],
  funds_vnd: ['Kinh phí', 'Funds'],
  recipient: ['Người/đơn vị được khen', 'Recipient'],
  recipient_kind: ['Đối tượng', 'Kind of recipient'],
  level: ['Hình thức khen thưởng', 'Level'],
  decision_no: ['Số quyết định', 'Decision number'],
  decided_on: ['Ngày quyết định', 'Decided on'],
  reason: ['Thành tích', 'Reason'],
  alive: ['Số khóm còn sống', 'Clumps alive'],
  working: ['Đèn còn sáng', 'Working'],
  bamboo_id: ['Điểm trồng tre', 'Bamboo planting'],
  light_id: ['Đèn', 'Light'],
};

/** The field's name in the current language ("citizen_id" → "Số CCCD/CMND"). */
export function fieldName(f: string): string {
  const base = f.replace(/^\/+/, '').replace(/\//g, '.');
  const hit = FIELDS[base] ?? FIELDS[base.replace(/\./g, '_')] ?? FIELDS[base.split('.').pop() ?? ''];
  return hit ? tr(hit[0], hit[1]) : f;
}

export const ROLE_NAMES: Record<string, [string, string]> = {
  admin: ['Quản trị (Bộ Chỉ huy)', 'Administrator'],
  station: ['Đồn Biên phòng', 'Station'],
  commune: ['Xã', 'Commune'],
  viewer: ['Người xem', 'Viewer'],
};
