import { BooleanQuery, IntegerQuery } from '../common/query-params';

const MAX_PAGE = 200;

export class NotificationQuery {
  @BooleanQuery({ default: false, description: 'true: unread notifications only' }) unread?: boolean;
  @IntegerQuery({ default: 50, minimum: 1, maximum: MAX_PAGE }) limit?: number;
}
