/** The built-in providers, in the order their routers are mounted (Alibaba's RPC root comes last). */
import { alibaba } from './alibaba/index.js';
import { elastic } from './elastic/index.js';
import { huawei } from './huawei/index.js';
import type { ProviderModule } from './provider.js';

export const BUILTIN_PROVIDERS: ProviderModule[] = [elastic, huawei, alibaba];
