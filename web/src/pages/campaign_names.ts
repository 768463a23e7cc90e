// SPDX-License-Identifier: MIT
// Names shared by the campaign pages and their forms (kinds of award
// recipient, levels of commendation) and who may add events, bamboo and
// lights where: the server's rule, so the forms are offered only to users
// whose saves it accepts.
import type { User } from '../api';
import type { Rec } from '../data';

export const RECIPIENT_KINDS: Record<string, [string, string]> = {
  person: ['Cá nhân', 'Person'],
  household: ['Hộ gia đình', 'Household'],
  collective: ['Tập thể', 'Collective'],
  unit: ['Đơn vị', 'Unit'],
};

export const AWARD_LEVELS: Record<string, [string, string]> = {
  bk_province: ['Bằng khen của Chủ tịch UBND tỉnh', 'Certificate of merit, provincial People\u2019s Committee'],
  bk_border_guard: ['Bằng khen của Bộ Chỉ huy BĐBP tỉnh', 'Certificate of merit, provincial Border Guard Command'],
  gk_district: ['Giấy khen của Chủ tịch UBND huyện', 'Letter of commendation, district People\u2019s Committee'],
  gk_station: ['Giấy khen của Đồn Biên phòng', 'Letter of commendation, border guard station'],
  other: ['Khác', 'Other'],
};

/**
 * The communes a user may add events, bamboo plantings and lights (and
 * their checks) in: every commune for admins, their own for commune users,
 * their station's for station users, none for viewers.
 */
export function writableCommunes(u: User, cs: Rec[]): Rec[] {
  if (u.role === 'admin') return cs;
  if (u.role !== 'station' && u.role !== 'commune') return [];
  return cs.filter((c) => c.id === u.commune_id || (u.commune_ids ?? []).includes(c.id) || (u.role === 'station' && !!u.station_id && c.station_id === u.station_id));
}
