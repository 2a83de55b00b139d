/** Where the Huawei provider keeps its entries in the state document. */
export const COLLECTION = {
  tokens: 'huawei.tokens',
  accessKeys: 'huawei.accessKeys',
  users: 'huawei.users',
  instances: 'huawei.koophone.instances',
  projects: 'huawei.koophone.projects',
} as const;

export interface TokenEntry {
  token: string;
  projectId: string;
  /** ISO 8601; absent = never expires. */
  expiresAt?: string;
  userName?: string;
}

export interface AccessKeyEntry {
  ak: string;
  sk: string;
  projectId: string;
}

export interface UserEntry {
  name: string;
  password: string;
  /** The account (domain) name. */
  domain: string;
  projectId: string;
  projectName: string;
  id: string;
  domainId: string;
}

/** A project's KooPhone subscription; a project not listed is subscribed. */
export interface ProjectEntry {
  project_id: string;
  /** false = every KooPhone call of the project answers KOOPHONE.API.1004. */
  subscribed: boolean;
}
