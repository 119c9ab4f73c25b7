import { TdConfigProviderProps } from './type';
declare const props: TdConfigProviderProps;
export default props;
