/**
 * The RegionIds ECI serves (its DescribeRegions list and the public endpoint table): a call naming
 * another is 404 InvalidRegionId.NotFound, as other Alibaba products answer. More can be served with
 * the `alibaba.extraRegions` setting.
 */
export const ECI_REGIONS: ReadonlySet<string> = new Set([
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-hangzhou',
  'cn-shanghai',
  'cn-nanjing',
  'cn-fuzhou',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-chengdu',
  'cn-hongkong',
  'cn-shanghai-finance-1',
  'cn-shenzhen-finance-1',
  'cn-beijing-finance-1',
  'cn-north-2-gov-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-3',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ap-south-1',
  'us-east-1',
  'us-west-1',
  'eu-west-1',
  'eu-central-1',
  'me-east-1',
  'me-central-1',
]);
