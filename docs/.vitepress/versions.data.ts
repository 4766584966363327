// VitePress data loader: versions.json for reference/versions.md (both languages). Rebuilt when
// versions.json changes (`watch`, relative to this file).
import { readVersionGroups, type VersionGroup } from './versions.js';

export interface Data {
  groups: VersionGroup[];
}
declare const data: Data;
export { data };

export default {
  watch: ['../../versions.json'],
  load(files: string[]): Data {
    return { groups: readVersionGroups(files[0]) };
  },
};
